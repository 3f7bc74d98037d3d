project = "Hostile input"
extensions = ["sphinx_proceedings"]
html_theme = "pydata_sphinx_theme"
proceedings_year = "2024"
proceedings_booktitle = "Workshop on Untrusted Input"
html_baseurl = "https://example.org/hostile/"
