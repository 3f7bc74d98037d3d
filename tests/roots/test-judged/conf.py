project = "Judged input"
extensions = ["sphinx_proceedings"]
proceedings_year = "2024"
proceedings_abstract_word_limit = 12  # the first abstract is longer: advice from check
