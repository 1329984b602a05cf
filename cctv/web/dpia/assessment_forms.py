"""Forms of the self-assessment pages: the answers to the 12 guiding principles, and one action of the plan."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cctv.web.forms import DayField
from dpia.models import ActionBase, PrincipleAnswerRow
from dpia.principles import PRINCIPLES
from dpia.types import PrincipleAnswer

ANSWER_CHOICES = {"": "Not answered", PrincipleAnswer.MET.value: "Met", PrincipleAnswer.PARTLY.value: "Partly met",
                  PrincipleAnswer.NOT_MET.value: "Not met", PrincipleAnswer.NOT_APPLICABLE.value: "Not applicable"}
PRINCIPLE_CHOICES = {p.number: f"{p.number}. {p.title}" for p in PRINCIPLES}


class AnswersForm(FlaskForm):
    """An answer and the evidence for each of the 12 principles (fields answer_1, evidence_1 … answer_12)."""

    @classmethod
    def of(cls, rows: list[PrincipleAnswerRow], *, posted: bool = False) -> "AnswersForm":
        """The answers as stored, or (posted) as typed in this request."""
        if posted:
            return cls()
        stored = {row.principle: row for row in rows}
        data = {}
        for p in PRINCIPLES:
            row = stored.get(p.number)
            data[f"answer_{p.number}"] = row.answer.value if row is not None and row.answer is not None else ""
            data[f"evidence_{p.number}"] = row.evidence if row is not None else ""
        return cls(formdata=None, data=data)

    def answers(self) -> list[tuple[int, PrincipleAnswer | None, str]]:
        """(principle, answer or None, evidence) for each principle, as typed."""
        result = []
        for p in PRINCIPLES:
            value = self[f"answer_{p.number}"].data or ""
            result.append((p.number, PrincipleAnswer(value) if value else None,
                           (self[f"evidence_{p.number}"].data or "").strip()))
        return result


for _p in PRINCIPLES:  # one pair of fields per principle, named by its number
    setattr(AnswersForm, f"answer_{_p.number}", SelectField(f"Principle {_p.number}: answer", choices=ANSWER_CHOICES,
                                                            default=""))
    setattr(AnswersForm, f"evidence_{_p.number}", TextAreaField(f"Principle {_p.number}: evidence"))


class ActionForm(FlaskForm):
    """One step of the action plan: for which principle, what, who and by when."""

    principle = SelectField("Principle", coerce=int, choices=PRINCIPLE_CHOICES)
    action = TextAreaField("Action", validators=[DataRequired("Say what will be done.")])
    owner = StringField("Owner", validators=[DataRequired("Name who will do it."), Length(max=120)])
    due_on = DayField("Due by", validators=[DataRequired("Give a date (YYYY-MM-DD).")])

    def data_model(self) -> ActionBase:
        """The action as the self-assessment service takes it."""
        return ActionBase(principle=self.principle.data, action=self.action.data.strip(),
                          owner=self.owner.data.strip(), due_on=self.due_on.data)


def action_form(*, posted: bool = False) -> ActionForm:
    """The add-action form, blank or as typed in this request (prefixed: it shares the page with the answers)."""
    return ActionForm(prefix="action") if posted else ActionForm(formdata=None, prefix="action")
