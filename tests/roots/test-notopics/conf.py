project = "Volume Workshop"
extensions = ["sphinx_proceedings"]
html_theme = "pydata_sphinx_theme"
proceedings_year = "2023"
