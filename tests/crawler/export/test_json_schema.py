"""The census JSON keeps to its documented schema (docs/census.schema.json):
every document forkmap writes -- stored and --no-db runs, measured,
skipped and failed forks, hostile names -- validates, and a document that
breaks the schema is rejected by the same validator (so the check can
fail). The validator is a small subset of JSON Schema 2020-12 (type, const,
enum, pattern, minimum, required, properties, additionalProperties, items,
$ref), enough for the schema we write."""
import json
import os
import re
import subprocess
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin

TYPES = {"object": dict, "array": list, "string": str, "null": type(None),
         "boolean": bool}


def is_type(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def validate(value, schema, root, path="$"):
    """A list of "path: why" for every violation."""
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        return validate(value, root["$defs"][ref[8:]], root, path)
    errors = []
    if "const" in schema and value != schema["const"]:
        errors.append("%s: not %r" % (path, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r not in %r" % (path, value, schema["enum"]))
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) \
            else [schema["type"]]
        if not any(is_type(value, t) for t in types):
            return errors + ["%s: %r is not %s" % (path, value, types)]
    if isinstance(value, str) and "pattern" in schema and \
            not re.search(schema["pattern"], value):
        errors.append("%s: %r does not match %s" %
                      (path, value, schema["pattern"]))
    if is_type(value, "number") and "minimum" in schema and \
            value < schema["minimum"]:
        errors.append("%s: %r < %r" % (path, value, schema["minimum"]))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append("%s: %s missing" % (path, key))
        props = schema.get("properties", {})
        for key, v in value.items():
            if key in props:
                errors += validate(v, props[key], root, path + "." + key)
            elif schema.get("additionalProperties") is False:
                errors.append("%s: unexpected %s" % (path, key))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            errors += validate(v, schema["items"], root,
                               "%s[%d]" % (path, i))
    return errors


class JsonSchemaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(os.environ["FORKMAP_SRC"], "docs",
                               "census.schema.json")) as f:
            cls.schema = json.load(f)

    def census_json(self, sb, repo, *extra):
        p = subprocess.run([forkmap_bin(), "census", "-C", repo.path,
                            "--no-github", "--json", "-", "-q"] +
                           list(extra), env=sb.env, capture_output=True,
                           text=True, timeout=120)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        return json.loads(p.stdout)

    def test_every_kind_of_row_validates(self):
        with Sandbox() as sb:
            up = sb.repo("up")
            up.write("a.c", "int a;\n")
            up.commit("one")
            up.git("tag", "v1.0.0")
            up.branch("forks/acme")
            up.branch("forks/empty")
            up.branch("forks/pipe|<b>&\"q")
            up.git("checkout", "-q", "forks/acme")
            up.write("b.c", "int b;\n")
            up.commit("acme: b")
            up.git("checkout", "-q", "--orphan", "forks/orphan")
            up.write("z.c", "z\n")
            up.commit("no common history")
            up.git("checkout", "-q", "master")
            up.write("c.c", "int c;\n")
            up.commit("two")
            stored = self.census_json(sb, up, "--db", sb.path("s.db"),
                                      "--include-skipped")
            loose = self.census_json(sb, up, "--no-db")
        for doc in (stored, loose):
            self.assertEqual(validate(doc, self.schema, self.schema), [])
        self.assertEqual(stored["schema"], 1)
        self.assertGreaterEqual(stored["run_id"], 1)
        self.assertIsNone(loose["run_id"])
        kinds = {("error" if f["error"] else "skipped" if f["skipped"]
                  else "measured") for f in stored["forks"]}
        self.assertEqual(kinds, {"error", "skipped", "measured"})
        version = subprocess.run([forkmap_bin(), "--version"],
                                 capture_output=True, text=True).stdout
        self.assertEqual("forkmap " + stored["forkmap"] + "\n", version)

    def test_the_validator_rejects_what_breaks_the_schema(self):
        doc = {"schema": 2, "forkmap": "x", "run_id": 0,
               "started": "yesterday", "finished": None, "upstream": "u",
               "branch": "b", "head": "abc", "head_date": None,
               "releases": [], "forks": [{"name": "n", "source": "svn"}],
               "extra": 1}
        errors = validate(doc, self.schema, self.schema)
        for what in ("$.schema", "$.forkmap", "$.run_id", "$.started",
                     "$.head", "$.forks[0]: branch missing",
                     "$.forks[0].source", "unexpected extra"):
            self.assertTrue(any(what in e for e in errors), (what, errors))


if __name__ == "__main__":
    unittest.main()
