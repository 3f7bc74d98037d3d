project = "Test Workshop"
extensions = ["sphinx_proceedings"]
html_theme = "pydata_sphinx_theme"
proceedings_year = "2024"
proceedings_booktitle = "Test Workshop on Imaginary Equations"
proceedings_submissions = 12
html_baseurl = "https://example.org/workshop/"
