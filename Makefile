# Shortcuts for the npm scripts (README: Quick start). Each target installs what
# is missing first (environment/install.sh) and is quiet when nothing is.
#   make run     main job: execute every notebook, write out/   (PROFILE=thesis for full size)
#   make test    unit tests + every notebook as a test          (NOTEBOOKS=00-tour,... to select)
#   make lab     Jupyter on 127.0.0.1 with token auth
.PHONY: run test lab install typecheck test-unit test-notebooks clean

run:
	@npm run --silent main

test:
	@npm test --silent

lab:
	@npm run --silent lab

install:
	@bash environment/install.sh

typecheck: install
	@npm run --silent typecheck

test-unit: install
	@npm run --silent test:unit

test-notebooks: install
	@npm run --silent test:notebooks

clean:
	rm -rf out environment/kernel
