"""The 12 guiding principles of the Surveillance Camera Code of Practice, which the yearly self-assessment answers.

The text is the Home Office's Surveillance Camera Code of Practice (June 2013, amended November 2021), chapter 2,
as published under the Open Government Licence; the short titles are ours, for lists and headings.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Principle:
    """One guiding principle: its number in the code, a short title and the text as published."""

    number: int
    title: str
    text: str


PRINCIPLES: tuple[Principle, ...] = (
    Principle(1, "Purpose and pressing need",
              "Use of a surveillance camera system must always be for a specified purpose which is in pursuit of a "
              "legitimate aim and necessary to meet an identified pressing need."),
    Principle(2, "Privacy impact",
              "The use of a surveillance camera system must take into account its effect on individuals and their "
              "privacy, with regular reviews to ensure its use remains justified."),
    Principle(3, "Transparency and contact point",
              "There must be as much transparency in the use of a surveillance camera system as possible, including "
              "a published contact point for access to information and complaints."),
    Principle(4, "Responsibility and accountability",
              "There must be clear responsibility and accountability for all surveillance camera system activities "
              "including images and information collected, held and used."),
    Principle(5, "Clear rules, policies and procedures",
              "Clear rules, policies and procedures must be in place before a surveillance camera system is used, "
              "and these must be communicated to all who need to comply with them."),
    Principle(6, "Retention no longer than needed",
              "No more images and information should be stored than that which is strictly required for the stated "
              "purpose of a surveillance camera system, and such images and information should be deleted once "
              "their purposes have been discharged."),
    Principle(7, "Restricted access and disclosure",
              "Access to retained images and information should be restricted and there must be clearly defined "
              "rules on who can gain access and for what purpose such access is granted; the disclosure of images "
              "and information should only take place when it is necessary for such a purpose or for law "
              "enforcement purposes."),
    Principle(8, "Competency standards",
              "Surveillance camera system operators should consider any approved operational, technical and "
              "competency standards relevant to a system and its purpose and work to meet and maintain those "
              "standards."),
    Principle(9, "Security",
              "Surveillance camera system images and information should be subject to appropriate security "
              "measures to safeguard against unauthorised access and use."),
    Principle(10, "Review and audit",
              "There should be effective review and audit mechanisms to ensure legal requirements, policies and "
              "standards are complied with in practice, and regular reports should be published."),
    Principle(11, "Effective support to law enforcement",
              "When the use of a surveillance camera system is in pursuit of a legitimate aim, and there is a "
              "pressing need for its use, it should then be used in the most effective way to support public safety "
              "and law enforcement with the aim of processing images and information of evidential value."),
    Principle(12, "Accurate reference data",
              "Any information used to support a surveillance camera system which compares against a reference "
              "database for matching purposes should be accurate and kept up to date."),
)

PRINCIPLE_NUMBERS: tuple[int, ...] = tuple(p.number for p in PRINCIPLES)


def principle(number: int) -> Principle:
    """The principle with this number (1–12); LookupError otherwise."""
    for p in PRINCIPLES:
        if p.number == number:
            return p
    raise LookupError(f"there is no guiding principle {number}")
