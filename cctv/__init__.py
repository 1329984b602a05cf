"""The CCTV estate and control-room application: factory, configuration, database, auth and web layer."""
