# The two commands of the README. Both install what is missing first (bin/setup).
.PHONY: run test setup lint stop

run:
	bash bin/setup run
	bash bin/run

test:
	bash bin/setup test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python manage.py makemigrations --check --dry-run -v 0
	.venv/bin/deptry .
	.venv/bin/lint-imports
	.venv/bin/pytest -n auto --basetemp=.data/pytest

setup:
	bash bin/setup run

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Stop the project-local PostgreSQL and Redis that bin/setup may have started under .data/.
stop:
	bash bin/stop
