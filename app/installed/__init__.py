"""The package `pip install` names `authflow`: it holds `authflow.app` (the window),
`authflow.simulator` (the rules) and `authflow.assets` (the lessons), so installing
Authflow claims no generic top-level name. pyproject.toml maps this folder to `authflow`."""
