"""Control-room log: incidents, arrests, evidence requests and shifts (no Flask). Built by the control-room issue."""
