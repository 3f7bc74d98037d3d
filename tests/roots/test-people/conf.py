project = "People Workshop"
extensions = ["sphinx_proceedings"]
html_theme = "pydata_sphinx_theme"
html_baseurl = "https://example.org/ws/"
proceedings_year = "2024"
