"""Real Buckinghamshire town centres and streets the illustrative demo estate is placed around."""

# (town, latitude, longitude, weight for public-space cameras, streets)
TOWNS: list[tuple[str, float, float, int, tuple[str, ...]]] = [
    ("High Wycombe", 51.6287, -0.7482, 30, ("High Street", "Frogmoor", "Oxford Road", "Queen Victoria Road",
                                            "Eden Walk", "Desborough Road", "Castle Street", "Easton Street",
                                            "Crendon Street", "Paul's Row", "Church Square", "Bridge Street")),
    ("Aylesbury", 51.8168, -0.8124, 28, ("Market Square", "Kingsbury", "Friars Square", "High Street",
                                         "Cambridge Street", "Exchange Street", "Buckingham Street", "Temple Square",
                                         "Walton Street", "Great Western Street", "Bourbon Street")),
    ("Amersham", 51.6746, -0.6075, 8, ("Sycamore Road", "Hill Avenue", "Station Road", "High Street")),
    ("Chesham", 51.7052, -0.6118, 8, ("Broadway", "High Street", "Market Square", "Red Lion Street")),
    ("Marlow", 51.5707, -0.7742, 7, ("High Street", "West Street", "Spittal Street", "Station Road")),
    ("Beaconsfield", 51.6113, -0.6445, 5, ("London End", "Station Road", "Penn Road", "Aylesbury End")),
    ("Buckingham", 51.9995, -0.9876, 5, ("Market Hill", "West Street", "Castle Street", "Moreton Road")),
    ("Princes Risborough", 51.7240, -0.8330, 3, ("High Street", "Market Square", "Duke Street")),
    ("Gerrards Cross", 51.5862, -0.5553, 3, ("Packhorse Road", "Station Road", "Oak End Way")),
    ("Wendover", 51.7617, -0.7393, 2, ("High Street", "Aylesbury Road", "Pound Street")),
    ("Winslow", 51.9425, -0.8818, 2, ("Market Square", "High Street", "Sheep Street")),
    ("Olney", 52.1530, -0.7016, 1, ("High Street", "Market Place")),
]

# (code, name, [(kind, count)], systems by kind)
SERVICE_AREAS: list[tuple[str, str, list[tuple[str, int]]]] = [
    ("CS", "Community Safety", [("public_space_fixed", 140), ("public_space_ptz", 30), ("deployable", 12)]),
    ("PARK", "Parking Services", [("car_park", 40), ("anpr", 20)]),
    ("HWAY", "Highways & Transport", [("traffic", 45), ("anpr", 15)]),
    ("PROP", "Property & Facilities", [("building", 70)]),
    ("CEO", "Civil Enforcement", [("body_worn", 35)]),
    ("WASTE", "Waste & Street Scene", [("body_worn", 20), ("covert", 8)]),
    ("HOUS", "Housing", [("building", 30)]),
    ("LEIS", "Leisure & Culture", [("building", 25)]),
    ("LIB", "Libraries", [("building", 20)]),
    ("PARKS", "Country Parks & Green Spaces", [("building", 12)]),
    ("ENVH", "Environmental Health & Trading Standards", [("covert", 6), ("body_worn", 8)]),
]

SYSTEMS: dict[tuple[str, str], str] = {
    ("CS", "public_space_fixed"): "{town} town-centre CCTV",
    ("CS", "public_space_ptz"): "{town} town-centre CCTV",
    ("CS", "deployable"): "Deployable public-space CCTV",
    ("PARK", "car_park"): "Council car parks CCTV",
    ("PARK", "anpr"): "Car park ANPR",
    ("HWAY", "traffic"): "Traffic management cameras",
    ("HWAY", "anpr"): "Highways ANPR",
    ("PROP", "building"): "Council buildings CCTV",
    ("CEO", "body_worn"): "Civil enforcement body-worn video",
    ("WASTE", "body_worn"): "Waste enforcement body-worn video",
    ("WASTE", "covert"): "Fly-tipping covert surveillance",
    ("HOUS", "building"): "Housing sites CCTV",
    ("LEIS", "building"): "Leisure centres CCTV",
    ("LIB", "building"): "Libraries CCTV",
    ("PARKS", "building"): "Country parks CCTV",
    ("ENVH", "covert"): "Trading standards covert surveillance",
    ("ENVH", "body_worn"): "Environmental health body-worn video",
}

BUILDINGS = ("Council offices", "Depot", "Community centre", "Leisure centre", "Library", "Visitor centre",
             "Housing office", "Register office", "Museum", "Household recycling centre")
MAKES = (("Dedicated Micros", "SD Advanced"), ("Bosch", "AutoDome 7000"), ("Axis", "Q6155-E"), ("Hikvision", "DS-2DF8"),
         ("Pelco", "Spectra IV"), ("Samsung", "SNP-6320"), ("Axis", "P1455-LE"), ("Reveal", "D-Series"))
