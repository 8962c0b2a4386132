"""Criteria sets and the programme rules as versioned data. A release is what one decision
prescribes; past certificates point at the release that scored them, so a release is never
rewritten once loaded (a corrected decision is a new release)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import ProductCategory


class CriteriaRelease(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)  # "26/2026"
    decision = models.CharField(_("decision"), max_length=60)  # "26/2026/QĐ-TTg"
    title_vi = models.CharField(_("title"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    # [{"code": "A", "name_vi": "...", "max_points": 40}, ...]
    parts = models.JSONField(_("parts"))
    # Rules the state changes with each decision (Art. 4.3, 7.2, 7.6, 8 of 26/2026).
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"), default=36
    )
    reevaluation_window_earliest_days = models.PositiveSmallIntegerField(
        _("re-evaluation filed at the earliest (days before expiry)"), default=180
    )
    reevaluation_window_latest_days = models.PositiveSmallIntegerField(
        _("re-evaluation filed at the latest (days before expiry)"), default=120
    )
    reevaluation_decision_days = models.PositiveSmallIntegerField(
        _("re-evaluation decided within (days)"), default=45
    )
    commune_check_working_days = models.PositiveSmallIntegerField(
        _("commune check (working days)"), default=15
    )
    revocation_deadline_days = models.PositiveSmallIntegerField(
        _("revocation decided within (days)"), default=15
    )
    # Provincial council rules: members whose totals differ by more than this re-discuss.
    score_spread_limit = models.DecimalField(
        _("largest spread of members' totals"), max_digits=5, decimal_places=2, default=10
    )
    has_criteria_text = models.BooleanField(_("per-criterion text available"), default=True)
    source = models.TextField(_("source"), blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("criteria release")
        verbose_name_plural = _("criteria releases")

    def __str__(self) -> str:
        return self.decision


class StarBand(models.Model):
    """Art. 3.3: bands on the average total score, and whether a star gets a certificate."""

    release = models.ForeignKey(CriteriaRelease, on_delete=models.CASCADE, related_name="star_bands")
    stars = models.PositiveSmallIntegerField(_("stars"))
    min_score = models.DecimalField(_("from (inclusive)"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("to"), max_digits=5, decimal_places=2)
    max_inclusive = models.BooleanField(_("upper bound inclusive"), default=False)
    certifiable = models.BooleanField(_("gets a certificate"), default=False)
    certifier_vi = models.CharField(_("who recognises it"), max_length=200, blank=True)

    class Meta:
        ordering = ["release", "-stars"]
        constraints = [models.UniqueConstraint(fields=["release", "stars"], name="uniq_band_stars")]
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")

    def __str__(self) -> str:
        return f"{self.stars}★ {self.min_score}–{self.max_score}"

    def contains(self, score) -> bool:
        upper_ok = score <= self.max_score if self.max_inclusive else score < self.max_score
        return self.min_score <= score and upper_ok


class CouncilLevel(models.Model):
    """Who evaluates and certifies what (26/2026: the province certifies 3★–4★, a product scoring ≥ 90
    is "potential 5-star" and goes to the Ministry; 148/2023 had a district level for 3★)."""

    release = models.ForeignKey(CriteriaRelease, on_delete=models.CASCADE, related_name="council_levels")
    code = models.CharField(_("code"), max_length=20)  # commune / district / province / central
    name_vi = models.CharField(_("name"), max_length=200)
    max_star_certified = models.PositiveSmallIntegerField(
        _("highest star it certifies"), null=True, blank=True
    )
    forwards_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("higher candidates go to")
    )
    role_vi = models.TextField(_("role"), blank=True)
    article = models.CharField(_("article"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["release", "position"]
        constraints = [models.UniqueConstraint(fields=["release", "code"], name="uniq_level_code")]
        verbose_name = _("council level")
        verbose_name_plural = _("council levels")

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.release.decision})"


class CriteriaSet(models.Model):
    release = models.ForeignKey(CriteriaRelease, on_delete=models.PROTECT, related_name="criteria_sets")
    code = models.CharField(_("code"), max_length=16)
    category = models.ForeignKey(
        ProductCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="criteria_sets"
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    total_points = models.PositiveSmallIntegerField(_("total points"), default=100)
    disqualification_vi = models.JSONField(_("the dossier is rejected when"), default=list, blank=True)
    source_anomalies = models.JSONField(_("source anomalies"), default=list, blank=True)

    class Meta:
        ordering = ["release", "code"]
        constraints = [models.UniqueConstraint(fields=["release", "code"], name="uniq_set_in_release")]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi} ({self.release.code})"


class Criterion(models.Model):
    """A node of a set: a numbered group (has children) or a scorable criterion (has options)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    part = models.CharField(_("part"), max_length=2)
    code = models.CharField(_("code"), max_length=20)
    name_vi = models.TextField(_("name"))
    description_vi = models.TextField(_("description"), blank=True)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    position = models.PositiveSmallIntegerField(default=0)
    # {"3": 2, "4": 2, "5": 3}: the least points needed on this criterion for a star (from ***/****/*****).
    min_points_for_star = models.JSONField(_("minimum points per star"), default=dict, blank=True)
    elimination_notes_vi = models.JSONField(_("knock-out notes"), default=list, blank=True)
    notes_vi = models.JSONField(_("notes"), default=list, blank=True)
    scorable = models.BooleanField(default=False)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "part", "code"], name="uniq_criterion_code")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.part}.{self.code} {self.name_vi[:60]}"


class CriterionOption(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text_vi = models.TextField(_("text"))
    points = models.PositiveSmallIntegerField(_("points"))
    star_marker = models.PositiveSmallIntegerField(_("star marker"), null=True, blank=True)
    points_blank_in_source = models.BooleanField(default=False)

    class Meta:
        ordering = ["criterion", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return f"{self.points} — {self.text_vi[:60]}"


class EvaluationRound(models.Model):
    """A province's (or the Ministry's) evaluation round (Art. 5: at least twice a year)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for dossiers")
        SCORING = "scoring", _("Council scoring")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        "places.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
        help_text=_("Empty for a central (Ministry) round."),
    )
    level = models.ForeignKey(CouncilLevel, on_delete=models.PROTECT, related_name="rounds")
    release = models.ForeignKey(CriteriaRelease, on_delete=models.PROTECT, related_name="rounds")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    submission_deadline = models.DateField(_("dossiers accepted until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "id"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="council_seats")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="uniq_round_member")]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.round}"


class Dossier(models.Model):
    """A product's dossier in a round: Mẫu 01 (registration), Mẫu 02 (self-assessment with evidence),
    the commune's check and report (Mẫu 03), then council scoring."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First evaluation")
        UPGRADE = "upgrade", _("Upgrade")
        REEVALUATION = "reevaluation", _("Re-evaluation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the commune")
        RETURNED = "returned", _("Returned for correction")
        PASSED = "passed", _("Passed by the commune")
        SCORED = "scored", _("Scored")
        REJECTED = "rejected", _("Rejected")
        FORWARDED = "forwarded", _("Forwarded to the next level")
        CERTIFIED = "certified", _("Certified")
        NOT_RECOGNISED = "not_recognised", _("Not recognised")

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="dossiers")
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="dossiers")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="dossiers")
    kind = models.CharField(_("registration type"), max_length=20, choices=Kind.choices, default=Kind.FIRST)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followers",
        help_text=_("The dossier an upgrade or re-evaluation was carried over from."),
    )
    forwarded_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forwarded_to"
    )
    registration_no = models.CharField(_("registration receipt"), max_length=80, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    commune_checked_at = models.DateTimeField(null=True, blank=True)
    # Mẫu 03: origin, local labour, local raw materials, local identity (Art. 7.2).
    commune_report = models.JSONField(_("commune report (Mẫu 03)"), default=dict, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    # Knock-out findings ("Hồ sơ bị loại khi…", "Bị loại nếu…") recorded by the commune or the council.
    knockout_reasons = models.JSONField(_("knock-out findings"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "product"], name="uniq_dossier_per_round")]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return f"{self.product} — {self.round}"


class SelfAssessment(models.Model):
    """Mẫu 02: the entity's own choice per criterion, with evidence from its library."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="self_assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    option = models.ForeignKey(CriterionOption, on_delete=models.PROTECT)
    note = models.TextField(_("explanation"), blank=True)
    evidence = models.ManyToManyField("registry.Evidence", blank=True)
    carried_over = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "criterion"], name="uniq_self_assessment")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.criterion} = {self.option.points}"


class Assignment(models.Model):
    """Which council member scores which dossier (members score only what is assigned to them)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="assignments")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "member"], name="uniq_assignment")]

    def __str__(self) -> str:
        return f"{self.member.user} → {self.dossier}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    option = models.ForeignKey(CriterionOption, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="uniq_score")]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.criterion} = {self.option.points}"


class DossierResult(models.Model):
    """The result with its computation stored beside it (Open Food Facts habit: anyone can see why)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    average_total = models.DecimalField(_("average total"), max_digits=6, decimal_places=2)
    band_stars = models.PositiveSmallIntegerField(_("stars by score band"))
    stars = models.PositiveSmallIntegerField(_("stars after minimums"))
    potential_stars = models.PositiveSmallIntegerField(_("potential stars"), null=True, blank=True)
    knocked_out = models.BooleanField(_("rejected by a knock-out rule"), default=False)
    breakdown = models.JSONField(_("computation"))
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier result")
        verbose_name_plural = _("dossier results")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.average_total} → {self.stars}★"


class CommuneCounter(models.Model):
    """Numbers a commune keeps per year: registration receipts (Phiếu số …/PĐK-…) and product codes
    ((province)-(commune)-(number)-(year)). Locked while drawn, so numbers never repeat."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("registration receipt")
        PRODUCT = "product", _("product code")

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "kind"], name="uniq_commune_counter")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.year}/{self.kind}: {self.last}"
