"""Reference solutions, one module per topic. Graders only: never released, never importable by students
(the course package does not install this folder), loaded by path into grading kernels."""
