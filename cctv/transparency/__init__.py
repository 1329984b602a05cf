"""The council's public face under principle 3 of the Surveillance Camera Code: what it chooses to publish about its
public-space cameras (the public page) and the signage register that tells people where cameras are watching."""
