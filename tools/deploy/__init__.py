"""Deployable artifacts of the checkout: the kustomize tree under deploy/ and the Lambda zip (docs/DEPLOY.md).

`python -m tools.deploy` regenerates deploy/base/generated/ from config/timeout.json; `--check` names stale
files; `install-kustomize` and `lambda-zip` are the nox sessions' steps.
"""
