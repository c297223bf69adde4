"""Engine-level rules: identity, docs and examples of the rules the engine itself runs on every
file of every kind (kind ``engine``, code prefix ``MLH``), after the checkers' rules."""
