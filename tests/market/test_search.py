"""The forgiving product search (issue 8): accents, typos, synonyms, facets, ranking, public only."""

import pytest

from market.models import SearchDocument
from market.search import search_products
from market.search_text import MAX_QUERY_CHARS
from registry.models import Recognition
from tests.certificates.factories import make_certificate
from tests.factories import commune, make_entity, make_product
from tests.market.conftest_search import ids, public, search_caches_fixture, search_catalogue_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def find(query: str, **kwargs):
    kwargs.setdefault("filters", {})
    return search_products(query, page=kwargs.pop("page", 1), language=kwargs.pop("language", "vi"), **kwargs)


# --- forgiving -------------------------------------------------------------------------------------


def test_it_finds_tea_without_diacritics(search_catalogue):
    result = find("tra shan tuyet")
    assert ids(result) == [search_catalogue.tea.pk]
    assert result.corrected == ""


def test_it_corrects_a_real_word_when_the_neighbours_say_so(search_catalogue):
    # "san" is a word of the index ("đặc sản" folds to "dac san"); "che shan" and "shan tuyet" are in names.
    result = find("che san tuyet")
    assert ids(result)[0] == search_catalogue.tea.pk
    assert result.corrected == "che shan tuyet"


def test_it_finds_salmon_from_sa_pa_without_diacritics(search_catalogue):
    assert ids(find("ca hoi sa pa")) == [search_catalogue.salmon.pk]


def test_it_splits_a_place_name_typed_as_one_word(search_catalogue):
    result = find("ca hoi sapa")
    assert ids(result) == [search_catalogue.salmon.pk]
    assert result.corrected == "ca hoi sa pa"


def test_it_forgives_typos(search_catalogue):
    result = find("shann tuyt")
    assert ids(result) == [search_catalogue.tea.pk]
    assert result.corrected == "shan tuyet"


def test_it_searches_the_words_as_typed_when_asked(search_catalogue):
    result = find("che san tuyet", exact=True)
    assert result.corrected == ""
    assert search_catalogue.tea.pk not in ids(result) or result.partial


def test_it_finds_with_diacritics_and_capitals(search_catalogue):
    assert ids(find("MẬT ONG Đồng Văn")) == [search_catalogue.honey.pk]


# --- synonyms --------------------------------------------------------------------------------------


def test_it_finds_salmon_by_its_english_name(search_catalogue):
    assert ids(find("salmon")) == [search_catalogue.salmon.pk]


def test_it_finds_che_when_searching_tra(search_catalogue):
    tea = public(
        "Chè Shan tuyết Hoàng Su Phì",
        stars=3,
        place=("Tuyên Quang", "Hoàng Su Phì"),
        category="QD26-11",
        entity_name="Hợp tác xã Chè Hoàng Su Phì",
    )
    assert set(ids(find("trà"))) == {search_catalogue.tea.pk, tea.pk}
    assert set(ids(find("tea"))) == {search_catalogue.tea.pk, tea.pk}


def test_it_finds_honey_in_english(search_catalogue):
    assert ids(find("honey dong van")) == [search_catalogue.honey.pk]


def test_it_finds_content_of_other_languages(search_catalogue):
    assert ids(find("miel menthe")) == [search_catalogue.honey.pk]
    assert ids(find("ancient trees")) == [search_catalogue.tea.pk]


def test_it_finds_words_of_the_story_and_the_producer(search_catalogue):
    assert ids(find("cao nguyen da")) == [search_catalogue.honey.pk]
    assert ids(find("hoang lien")) == [search_catalogue.salmon.pk]


# --- public only -----------------------------------------------------------------------------------


def test_it_never_shows_products_the_public_may_not_see(search_catalogue):
    found = ids(find("tra shan tuyet bi mat")) + ids(find("ca hoi tam duong")) + ids(find("", per_page=100))
    assert search_catalogue.draft.pk not in found
    assert search_catalogue.revoked.pk not in found
    assert set(ids(find("", per_page=100))) == {
        search_catalogue.tea.pk,
        search_catalogue.salmon.pk,
        search_catalogue.honey.pk,
        search_catalogue.rice.pk,
    }


# --- ranking ---------------------------------------------------------------------------------------


def test_it_ranks_the_exact_name_first_then_names_with_every_word_then_stars(search_catalogue):
    longer = public(
        "Cá hồi Sa Pa hun khói",
        stars=4,
        place=("Lào Cai", "Bát Xát"),
        category="QD26-08",
        entity_name="Hợp tác xã Cá hồi Bát Xát",
    )
    story_only = public(
        "Cá tầm Bát Xát",
        stars=5,
        place=("Lào Cai", "Mường Khương"),
        category="QD26-08",
        entity_name="Công ty Cá tầm Mường Khương",
        vi={"name": "Cá tầm Bát Xát", "story": "<p>Nuôi cạnh trại cá hồi ở Sa Pa.</p>"},
    )
    assert ids(find("ca hoi sa pa")) == [search_catalogue.salmon.pk, longer.pk, story_only.pk]
    assert ids(find("ca hoi")) == [longer.pk, search_catalogue.salmon.pk, story_only.pk]


def test_it_shows_partial_matches_when_no_product_has_every_word(search_catalogue):
    result = find("mat ong xyzzyq")
    assert result.partial
    assert ids(result)[0] == search_catalogue.honey.pk


# --- facets ----------------------------------------------------------------------------------------


def test_it_counts_facets_of_the_results(search_catalogue):
    result = find("")
    counts = {key: {f.value: f.count for f in values} for key, values in result.facets.items()}
    lao_cai = search_catalogue.tea.province_id
    assert counts["province"] == {lao_cai: 3, search_catalogue.honey.province_id: 1}
    assert counts["star"] == {"5": 1, "4": 1, "3": 2}
    assert counts["group"] == {"I": 4}
    assert counts["recognition"] == {"vietgap": 1}
    labels = {f.value: f.label for f in result.facets["province"]}
    assert labels[lao_cai] == "Lào Cai"


def test_it_filters_by_each_facet(search_catalogue):
    assert set(ids(find("", filters={"province": search_catalogue.tea.province_id}))) == {
        search_catalogue.tea.pk,
        search_catalogue.salmon.pk,
        search_catalogue.rice.pk,
    }
    assert ids(find("", filters={"star": "5"})) == [search_catalogue.honey.pk]
    assert ids(find("", filters={"recognition": Recognition.Kind.VIETGAP})) == [search_catalogue.honey.pk]
    assert ids(find("", filters={"category": "QD26-03"})) == [search_catalogue.rice.pk]
    assert ids(find("", filters={"commune": search_catalogue.salmon.commune_id})) == [
        search_catalogue.salmon.pk
    ]
    narrowed = find("", filters={"star": "3", "province": search_catalogue.tea.province_id})
    assert set(ids(narrowed)) == {search_catalogue.salmon.pk, search_catalogue.rice.pk}
    assert [(f.value, f.count, f.selected) for f in narrowed.facets["star"]] == [("3", 2, True)]


def test_it_ignores_unknown_facet_values_and_says_so(search_catalogue, english):
    result = find("", filters={"province": "99", "star": "7", "recognition": "fake", "group": "<b>"})
    assert len(ids(result)) == 4
    assert result.filters == {}
    assert "Province: there is no “99”, so the results are not filtered by it." in result.messages
    assert "Stars: there is no “7”, so the results are not filtered by it." in result.messages
    assert len(result.messages) == 4


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"', "all"),
        ("*", "all"),
        ("NEAR(", "none"),
        ("tra*", "tea"),
        ('"tra shan', "tea"),
        ('tra" OR "x', "none"),  # two words no product holds
        ("^tra", "tea"),
        ("-", "all"),
        (":", "all"),
        ("{names}: tra", "tea"),
    ],
)
def test_it_reads_search_syntax_as_plain_text(search_catalogue, query, found):
    result = find(query)
    if found == "all":
        assert result.total == 4
    elif found == "tea":
        assert ids(result)[0] == search_catalogue.tea.pk
    else:
        assert result.total == 0
    assert SearchDocument.objects.count() == 4


def test_it_says_so_when_a_query_has_nothing_to_search_for(search_catalogue, english):
    result = find('"*')
    assert result.messages == [
        '“"*” has no letters or digits to search for: type a product, a place or a producer.'
    ]
    assert result.total == 4  # the whole search_catalogue, as for an empty search


def test_it_cuts_an_overlong_query_and_says_so(search_catalogue, english):
    result = find("ca hoi sa pa " + "x" * 400)
    assert len(result.query) <= MAX_QUERY_CHARS == 200
    assert result.messages == [
        "Your search was longer than 200 characters: only the first 200 were searched."
    ]
    assert ids(result) == [search_catalogue.salmon.pk]


def test_it_gives_the_last_page_for_a_page_beyond_it(search_catalogue, english):
    result = find("", page=99, per_page=3)
    assert result.page == 2
    assert result.pages == 2
    assert len(result.hits) == 1
    assert result.messages == ["There is no page 99: the results end on page 2, shown here."]


def test_it_pages_through_the_results(search_catalogue):
    first, second = find("", page=1, per_page=3), find("", page=2, per_page=3)
    assert len(set(ids(first)) | set(ids(second))) == 4
    assert first.total == second.total == 4


def test_it_suggests_words_when_nothing_is_found(search_catalogue):
    result = find("shann tuyyt", exact=True)
    assert result.total == 0
    assert result.hits == []
    assert {"shan", "tuyet"} <= set(result.suggestions)


def test_it_shows_names_in_the_visitors_language_falling_back_to_vietnamese(search_catalogue):
    assert find("tra shan tuyet", language="en").hits[0].name == "Suoi Giang Shan Tuyet tea"
    assert find("ca hoi sa pa", language="en").hits[0].name == "Cá hồi Sa Pa"
    assert find("mat ong", language="fr").hits[0].name == "Miel de menthe de Dong Van"


def test_it_shows_producer_place_and_stars(search_catalogue):
    hit = find("mat ong").hits[0]
    assert hit.producer == "Hợp tác xã Ong Đồng Văn"
    assert hit.province == "Tuyên Quang"
    assert hit.commune == "Xã Đồng Văn"
    assert hit.star == 5


def test_it_uses_the_highest_valid_star(search_catalogue):
    product = make_product(
        entity=make_entity(commune_obj=commune("Lào Cai", "Bát Xát")),
        name="Miến dong Bát Xát",
        category="QD26-06",
    )
    make_certificate(stars=3, product=product)
    make_certificate(stars=4, product=product)
    assert find("mien dong").hits[0].star == 4
