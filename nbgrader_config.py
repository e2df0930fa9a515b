# nbgrader reads the config in the directory it runs from; the real one lives in autograder/.
c = get_config()  # noqa: F821
load_subconfig("autograder/nbgrader_config.py")  # noqa: F821
