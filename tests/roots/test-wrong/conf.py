project = "Wrong data"
extensions = ["sphinx_proceedings"]
