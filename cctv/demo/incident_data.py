"""The tables behind the demo's control-room history (cctv.demo.incidents): when incidents happen, of what kind,
how often the police are told or make an arrest, and the words an operator would log. Illustrative, not real data:
the shape follows the strategy's figures (about 20,000 incidents and 200 arrests a year, DESIGN §2) and the
monitored hours, with the Friday and Saturday night-time economy as the busiest time of the week.
"""

from cctv.controlroom.types import IncidentSource

LABEL = "Illustrative demo incident."
OPERATORS = ("operator", "op.davies", "op.kaur", "op.wright", "op.osei", "op.hughes")
SURNAMES = ("Smith", "Jones", "Patel", "Williams", "Brown", "Khan", "Taylor", "Evans", "Walker", "Wood", "Hall")
ARREST_SHARE = 0.0091  # incidents with an arrest; about one in ten of them has two, so ~200 arrests in 20,000
MONTH = (0.9, 0.88, 0.95, 1.0, 1.02, 1.05, 1.08, 1.05, 1.0, 1.0, 1.0, 1.12)  # January first; December's parties
DAYTIME = (0.95, 0.95, 1.0, 1.0, 1.05, 1.15, 0.8)  # Monday first: Saturday shoppers, a quiet Sunday
DELAYS = (*range(1, 5),) * 60 + (*range(5, 21),) * 8 + (*range(21, 61),)  # minutes to log: mostly at once
# The streams of a session day: (incidents a day before scaling, weekdays it runs on, local hours (hour, weight) —
# hours before 08:00 fall on the next calendar day — and category weights). "outside" is the police asking the
# next day about something in the unmonitored hours; "nte" is the Friday and Saturday night-time economy.
STREAMS: dict[str, tuple[float, tuple[int, ...], dict[int, int], dict[str, float]]] = {
    "day": (26, (0, 1, 2, 3, 4, 5, 6), {8: 1, 9: 2, 10: 3, 11: 4, 12: 5, 13: 5, 14: 5, 15: 5, 16: 5, 17: 2},
            {"shoplifting": 26, "suspicious": 16, "asb": 14, "theft": 9, "welfare": 9, "missing_vulnerable": 5,
             "road_traffic": 5, "criminal_damage": 3, "drugs": 3, "violence": 3, "public_order": 2, "other": 3,
             "burglary": 1, "robbery": 0.7, "fire": 0.6, "weapons": 0.4, "sexual_offence": 0.3}),
    "evening": (15, (0, 1, 2, 3, 4, 5, 6), {17: 4, 18: 5, 19: 5, 20: 5, 21: 4, 22: 3},
                {"asb": 28, "suspicious": 14, "public_order": 12, "violence": 10, "welfare": 8, "drugs": 6,
                 "criminal_damage": 6, "theft": 4, "shoplifting": 3, "missing_vulnerable": 3, "road_traffic": 2,
                 "other": 2, "robbery": 1, "weapons": 1, "fire": 0.8, "sexual_offence": 0.6}),
    "nte": (30, (4, 5), {21: 2, 22: 4, 23: 6, 0: 7, 1: 7, 2: 5, 3: 2},
            {"public_order": 24, "violence": 22, "asb": 14, "welfare": 13, "suspicious": 8, "drugs": 6,
             "criminal_damage": 4, "theft": 3, "missing_vulnerable": 2, "sexual_offence": 1.5, "weapons": 1.5,
             "robbery": 1, "road_traffic": 1, "other": 1}),
    "outside": (2.2, (0, 1, 2, 3, 6), {23: 2, 0: 3, 1: 3, 2: 2, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1},
                {"violence": 20, "burglary": 15, "criminal_damage": 15, "theft": 12, "suspicious": 10, "asb": 8,
                 "robbery": 6, "public_order": 6, "sexual_offence": 4, "road_traffic": 4, "missing_vulnerable": 3,
                 "other": 3, "fire": 2}),
    "outside_weekend": (1.5, (4, 5), {4: 2, 5: 1, 6: 1, 7: 1},
                        {"violence": 30, "criminal_damage": 20, "burglary": 15, "robbery": 10, "theft": 10,
                         "sexual_offence": 5, "public_order": 5, "other": 5}),
}
# category: (chance the police are told, weight for an arrest, what the operator saw, what an arrest was for)
CATEGORY: dict[str, tuple[float, float, str, str]] = {
    "violence": (0.85, 10, "Fight involving several people near {}", "Assault occasioning ABH"),
    "sexual_offence": (0.95, 8, "Report of a sexual assault; suspect followed near {}", "Sexual assault"),
    "robbery": (0.95, 12, "Robbery of a lone male near {}", "Robbery"),
    "burglary": (0.9, 6, "Break-in at commercial premises near {}", "Burglary"),
    "theft": (0.35, 2, "Theft of a bag from a café table near {}", "Theft"),
    "shoplifting": (0.25, 4, "Store detective reports a known shoplifter near {}", "Theft from a shop"),
    "criminal_damage": (0.3, 3, "Youths damaging a bus shelter near {}", "Criminal damage"),
    "drugs": (0.5, 8, "Suspected drug dealing near {}", "Possession with intent to supply"),
    "public_order": (0.45, 6, "Argument spilling out of a bar near {}", "Section 4 Public Order Act"),
    "asb": (0.15, 0.5, "Group causing a nuisance near {}", "Breach of a dispersal order"),
    "weapons": (0.97, 15, "Male seen with a knife near {}", "Possession of a bladed article"),
    "missing_vulnerable": (0.9, 0.2, "Search for a missing vulnerable person near {}", "Wanted on warrant"),
    "welfare": (0.35, 0.3, "Intoxicated person unable to stand near {}", "Drunk and incapable"),
    "road_traffic": (0.4, 1, "Collision between a car and a cyclist near {}", "Drink driving"),
    "fire": (0.6, 0.5, "Bin fire near {}", "Arson"),
    "suspicious": (0.15, 1, "Person trying car door handles near {}", "Vehicle interference"),
    "other": (0.1, 0.3, "Lost child reunited with family near {}", "Wanted on warrant"),
}
EVIDENTIAL = frozenset({"violence", "robbery", "burglary", "sexual_offence", "weapons", "criminal_damage", "theft"})
OUTCOMES = (("Monitored until clear.", "Lost from view.", "Dispersed."),  # by police told + attended
            ("Police informed; monitored until clear.", "Police informed; lost from view."),
            ("Police attended; words of advice given.", "Police attended; parties dispersed.",
             "Police attended; ambulance called."))
NOTES = ("Quiet shift.", "Police operation in the town centre tonight.", "PTZ slow to respond; fault reported.",
         "Busy night-time economy.", "Recorder checked, all channels recording.", "Nothing to hand over.")
# How the control room came to an incident, inside monitored hours: shop and pub radio schemes are busiest for
# shop thefts and in the night-time economy ("busy"); "outside" incidents are all police requests.
SOURCES: dict[bool, dict[IncidentSource, float]] = {
    busy: {IncidentSource.PROACTIVE: 45, IncidentSource.POLICE_REQUEST: 5, IncidentSource.POLICE_RADIO: 22,
           IncidentSource.PUBLIC: 6, IncidentSource.BUSINESS_RADIO: 27 if busy else 8}
    for busy in (False, True)
}
