"""A producer adds the story read aloud (one recording per language) and a video link; what is not
a recording or not a web address is refused with a message and stores nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from audit.models import AuditEvent
from registry import services_media
from registry.models import Role, StoryRecording
from tests.factories import make_product, make_user, with_role

pytestmark = pytest.mark.django_db

# Minimal but real headers: an ID3 tag then an MPEG-1 Layer III frame; an Ogg page; a WAV header.
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400
BARE_MP3 = b"\xff\xfb\x90\x64" + b"\x00" * 400
OGG = b"OggS\x00\x02" + b"\x00" * 200
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 200
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00" + b"\x00" * 200


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def product():
    return make_product(status="certified", name="Chè Shan tuyết Suối Giàng")


@pytest.fixture
def member(settings, product):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=product.entity))
    return client


def _upload(client, product, data: bytes, name="story.mp3", language="vi"):
    return client.post(
        f"/products/{product.pk}/recordings/",
        {"language": language, "audio": SimpleUploadedFile(name, data)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (MP3, "audio/mpeg"),
        (BARE_MP3, "audio/mpeg"),
        (OGG, "audio/ogg"),
        (WAV, "audio/wav"),
        (M4A, "audio/mp4"),
    ],
)
def test_a_recording_is_recognised_by_its_bytes_and_listed(member, product, data, content_type):
    page = _upload(member, product, data, name="whatever.bin").content.decode()
    recording = StoryRecording.objects.get(product=product, language="vi")
    assert recording.content_type == content_type
    assert "The recording was saved." in page
    assert recording.audio.url in page
    assert AuditEvent.objects.filter(action="product.recording_set").count() == 1


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "story.mp3"),
        (b"%PDF-1.7\n" + b"x" * 200, "story.ogg"),
        (b"MZ\x90\x00" + b"\x00" * 200, "story.wav"),
    ],
)
def test_a_file_that_is_not_audio_is_refused_and_nothing_is_stored(member, product, data, name):
    page = _upload(member, product, data, name=name).content.decode()
    assert not StoryRecording.objects.exists()
    assert "not a recording we can play" in page


def test_an_empty_file_is_refused(member, product):
    page = _upload(member, product, b"", name="empty.mp3").content.decode()
    assert "Choose a language and a recording file." in page
    assert not StoryRecording.objects.exists()


def test_an_image_named_mp3_is_refused(member, product):
    page = _upload(member, product, _jpeg(), name="story.mp3").content.decode()
    assert "not a recording we can play" in page
    assert not StoryRecording.objects.exists()


def test_a_recording_over_the_limit_is_refused(member, product, settings):
    settings.OCOP_AUDIO_MAX_BYTES = 300
    page = _upload(member, product, MP3).content.decode()
    assert "limit" in page
    assert not StoryRecording.objects.exists()


def test_a_new_recording_replaces_the_one_in_that_language_only(member, product):
    _upload(member, product, MP3, language="vi")
    _upload(member, product, OGG, language="en")
    _upload(member, product, WAV, language="vi")
    assert dict(StoryRecording.objects.values_list("language", "content_type")) == {
        "vi": "audio/wav",
        "en": "audio/ogg",
    }


def test_a_recording_is_removed(member, product):
    _upload(member, product, MP3)
    recording = StoryRecording.objects.get()
    page = member.post(
        f"/products/{product.pk}/recordings/{recording.pk}/remove/", follow=True
    ).content.decode()
    assert "The recording was removed." in page
    assert not StoryRecording.objects.exists()


def test_another_entitys_member_cannot_add_or_remove_a_recording(settings, product, member):
    _upload(member, product, MP3)
    stranger = Client()
    stranger.force_login(
        with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_product(name="Mật ong bạc hà").entity)
    )
    stranger.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    recording = StoryRecording.objects.get()
    response = _upload(stranger, product, OGG, language="en")
    removed = stranger.post(f"/products/{product.pk}/recordings/{recording.pk}/remove/")
    assert response.status_code in (403, 404) and removed.status_code in (403, 404)
    assert list(StoryRecording.objects.values_list("language", flat=True)) == ["vi"]


def test_an_unknown_language_is_refused(product):
    with pytest.raises(ValidationError) as exc:
        services_media.story_recording_set(
            actor=None, product=product, language="xx", upload=SimpleUploadedFile("a.mp3", MP3)
        )
    assert "language" in exc.value.message_dict


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.com/v", "<script>alert(1)</script>", "www.youtube", "x" * 600],
)
def test_a_video_link_must_be_a_web_address(member, product, url):
    page = member.post(f"/products/{product.pk}/video/", {"video_url": url}, follow=True).content.decode()
    product.refresh_from_db()
    assert product.video_url == ""
    assert "https://" in page or "too long" in page
    assert "<script>alert(1)</script>" not in page


def test_a_video_link_is_saved_shown_and_cleared(member, product):
    url = "https://www.youtube.com/watch?v=abc123"
    page = member.post(f"/products/{product.pk}/video/", {"video_url": url}, follow=True).content.decode()
    product.refresh_from_db()
    assert product.video_url == url and "Video about the product" in page
    member.post(f"/products/{product.pk}/video/", {"video_url": ""})
    product.refresh_from_db()
    assert product.video_url == ""
    assert AuditEvent.objects.filter(action="product.video_set").count() == 2
