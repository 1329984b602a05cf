"""Forms of the DPIA pages: a draft's sections and sign-off, one risk, and starting a version."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from dpia.models import Dpia, DpiaBase, DpiaRisk, DpiaRiskBase
from dpia.register import SECTION_LABELS, SIGN_OFF_LABELS
from dpia.types import Likelihood, RiskEffect, Severity

LIKELIHOODS = {int(v): v.name.title() for v in Likelihood}
SEVERITIES = {int(v): v.name.title() for v in Severity}
EFFECTS = {e.value: e.value.title() for e in RiskEffect}
# The DPO's advice: not yet given (None), accepted (True) or overruled (False).
ADVICE_CHOICES = {"": "Not yet given", "yes": "Accepted", "no": "Overruled"}
ADVICE_VALUE = {"": None, "yes": True, "no": False}


def _names(max_length: int = 120) -> list:
    return [Length(max=max_length)]


class DpiaForm(FlaskForm):
    """A draft's template sections and its sign-off, as the DPO types them. Nothing is required to save a draft:
    completeness is checked when signing off, so every problem is listed at once (dpia.register.sign_off)."""

    need = TextAreaField(SECTION_LABELS["need"])
    processing = TextAreaField(SECTION_LABELS["processing"])
    evidence = TextAreaField(SECTION_LABELS["evidence"])
    consultation = TextAreaField(SECTION_LABELS["consultation"])
    necessity = TextAreaField(SECTION_LABELS["necessity"])
    measures_approved_by = StringField(SIGN_OFF_LABELS["measures_approved_by"], validators=_names())
    residual_risk_approved_by = StringField(SIGN_OFF_LABELS["residual_risk_approved_by"], validators=_names())
    dpo_name = StringField(SIGN_OFF_LABELS["dpo_name"], validators=_names())
    dpo_advice = TextAreaField(SIGN_OFF_LABELS["dpo_advice"])
    dpo_advice_accepted = SelectField(SIGN_OFF_LABELS["dpo_advice_accepted"], choices=ADVICE_CHOICES, default="")
    dpo_advice_overruled_because = TextAreaField(SIGN_OFF_LABELS["dpo_advice_overruled_because"])
    reviewer = StringField(SIGN_OFF_LABELS["reviewer"], validators=_names())
    summary_of_changes = TextAreaField(SIGN_OFF_LABELS["summary_of_changes"])

    @classmethod
    def of(cls, dpia: Dpia, *, posted: bool = False) -> "DpiaForm":
        """The form as stored, or (posted) as typed in this request."""
        if posted:
            return cls()
        form = cls(formdata=None, obj=dpia)
        form.dpo_advice_accepted.data = {None: "", True: "yes", False: "no"}[dpia.dpo_advice_accepted]
        return form

    def data_model(self) -> DpiaBase:
        """What was typed, as the register takes it (surrounding blanks trimmed, line breaks kept)."""
        values = {name: (getattr(self, name).data or "").strip() for name in DpiaBase.model_fields
                  if name != "dpo_advice_accepted"}
        return DpiaBase(**values, dpo_advice_accepted=ADVICE_VALUE.get(self.dpo_advice_accepted.data or ""))


class RiskForm(FlaskForm):
    """One risk: what could happen to people, how likely and how bad, the measures and the risk left after them.
    Each form on the page has its own prefix ("risk-new", "risk-7"), so their fields never share a name."""

    description = TextAreaField("Risk to individuals", validators=[DataRequired("Describe the risk.")])
    likelihood = SelectField("Likelihood", coerce=int, choices=LIKELIHOODS, default=1)
    severity = SelectField("Severity", coerce=int, choices=SEVERITIES, default=1)
    measures = TextAreaField("Measures to reduce it")
    effect = SelectField("Effect on risk", choices=EFFECTS, default=RiskEffect.REDUCED.value)
    residual_likelihood = SelectField("Residual likelihood", coerce=int, choices=LIKELIHOODS, default=1)
    residual_severity = SelectField("Residual severity", coerce=int, choices=SEVERITIES, default=1)
    measure_approved = BooleanField("Measure approved")

    def data_model(self) -> DpiaRiskBase:
        """The risk as the register takes it."""
        return DpiaRiskBase(
            description=self.description.data.strip(), likelihood=self.likelihood.data, severity=self.severity.data,
            measures=(self.measures.data or "").strip(), effect=RiskEffect(self.effect.data),
            residual_likelihood=self.residual_likelihood.data, residual_severity=self.residual_severity.data,
            measure_approved=bool(self.measure_approved.data),
        )


def risk_form(risk: DpiaRisk | None = None, *, posted: bool = False) -> RiskForm:
    """The form for a new risk, or for editing a stored one (prefixed with its id); as typed in this request when
    `posted`, else blank or as stored (the page's other forms must not read another form's submission)."""
    prefix = f"risk-{risk.id}" if risk is not None else "risk-new"
    if posted:
        return RiskForm(prefix=prefix)
    form = RiskForm(formdata=None, prefix=prefix, obj=risk)
    if risk is not None:
        form.effect.data = RiskEffect(risk.effect).value
    return form


class StartForm(FlaskForm):
    """Start a system's first DPIA, or a review that makes the next version; the reason opens its summary."""

    reason = StringField("Reason (optional)", validators=[Length(max=500)])


