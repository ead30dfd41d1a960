"""An example ascrapy project: crawls the small bookstore in examples/site."""
