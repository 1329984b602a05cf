"""The Advisory Group's dashboard: the six principles' measures as charts, tables, CSVs and the PDF
pack."""
