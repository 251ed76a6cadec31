"""The demo region, defined once: the generator writes it and the tests check it."""

#: The 13 gemeenten of DUO's Kennemerland pupil files, by today's CBS code: Alkmaar,
#: Bergen (NH.), Beverwijk, Bloemendaal, Castricum, Dijk en Waard, Haarlem, Heemskerk,
#: Heemstede, Heiloo, Uitgeest, Velsen, Zandvoort.
KENNEMERLAND = (
    "GM0361", "GM0373", "GM0375", "GM0377", "GM0383", "GM1980", "GM0392",
    "GM0396", "GM0397", "GM0399", "GM0450", "GM0453", "GM0473",
)  # fmt: skip
