"""The illustrative demo estate and three years of control-room history, labelled as such (`cctv demo`)."""
