"""The grading engine: one Dask task per submitted notebook, each graded by nbgrader on a worker that keeps
its expensive state (nbgrader imported, a sandboxed warm-kernel server) for its lifetime.

- config: nbgrader's configuration for this course, built from this package (nbgrader_config.py uses it too);
- task: what one task receives and returns, and the grading itself (nbgrader in-process, a private course root);
- worker: the Dask worker plugin that starts and stops each worker's warm-kernel server;
- client: the instructor's side: the cluster, the tasks, and each result written and merged as it arrives;
- gradebooks, verdict, warm_kernels, warm_kernel_launcher, sandbox, grading_kernel: what grading is made of.

Kept free of imports: kernels and the warm-kernel server import modules of this package.
"""
