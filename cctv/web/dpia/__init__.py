"""The DPIA register's pages: the DPO dashboard, versions and risks, sign-off, the yearly self-assessment."""
