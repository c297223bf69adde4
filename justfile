# mlops-hooks tasks: `just` lists them, `just check` runs what CI runs.

set shell := ["bash", "-euo", "pipefail", "-c"]

import 'tasks/check.just'
import 'tasks/bench.just'
import 'tasks/clean.just'
import 'tasks/docs.just'
import 'tasks/format.just'
import 'tasks/fuzz.just'
import 'tasks/gen.just'
import 'tasks/install.just'
import 'tasks/package.just'

# list the tasks
[group('help')]
default:
    @just --list
