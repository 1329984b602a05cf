"""The capital-bid PDF (ReportLab): the ranking, each top site's figures and a drawn map."""
