#!/usr/bin/env python3
"""Builds benchmarks/src/main/resources/io/promokit/benchmarks/expression-corpus.txt (one expression a line).

Seeds: every expression of the expressions module's case files (expression-cases.yaml, exprlang-conformance.yaml)
and every ${{ }} expression in examples/, docs/ and the modules' tests. Volume: Kargo-like expressions made from
the shapes Kargo's documentation and the examples use (variable paths, outputs of named steps, the Kargo and
expr-lang functions, predicates, ternaries, string building), with a fixed random seed so the file is stable.
Rerun: python3 benchmarks/corpus/generate.py (from the repository root).
"""
import os, random, re, sys
import yaml

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out_path = os.path.join(root, "benchmarks/src/main/resources/io/promokit/benchmarks/expression-corpus.txt")
EXPR = re.compile(r"\$\{[{%](.*?)[}%]\}")
seen, corpus = set(), []

def add(e):
    e = e.strip()
    if not e or "\n" in e or "\r" in e or len(e) > 400 or e in seen:
        return
    # Java string concatenations in test sources are not expressions.
    if '" +' in e or "' +" in e and e.count("'") % 2:
        return
    seen.add(e)
    corpus.append(e)

def from_template(t):
    if isinstance(t, str):
        for m in EXPR.finditer(t):
            add(m.group(1))
    elif isinstance(t, dict):
        for v in t.values():
            from_template(v)
    elif isinstance(t, list):
        for v in t:
            from_template(v)

def walk_cases(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("expression", "expr") and isinstance(v, str):
                add(v)
            elif k in ("template", "inspect", "tree"):
                from_template(v)
            else:
                walk_cases(v)
    elif isinstance(node, list):
        for v in node:
            walk_cases(v)

res = os.path.join(root, "expressions/src/test/resources")
for f in sorted(os.listdir(res)):
    if f.endswith(".yaml"):
        with open(os.path.join(res, f)) as fh:
            walk_cases(yaml.safe_load(fh))
seeds_cases = len(corpus)
for base in ("examples", "docs", "expressions/src/test", "core/src/test", "cli/src/test"):
    for dirpath, _, files in os.walk(os.path.join(root, base)):
        if "/target" in dirpath:
            continue
        for f in sorted(files):
            if f.endswith((".yaml", ".yml", ".md", ".java")):
                with open(os.path.join(dirpath, f), errors="replace") as fh:
                    for m in EXPR.finditer(fh.read()):
                        add(m.group(1))
seeds = len(corpus)

rnd = random.Random(20)
steps = ["build", "clone", "update-image", "commit", "push", "open-pr", "wait-for-pr", "read-config",
         "read-version", "render", "kustomize-set-image", "helm-update", "compose", "argocd-update", "http-check"]
fields = ["tag", "digest", "commit", "commitMessage", "prNumber", "pr.url", "version", "branch", "path", "status"]
vars_ = ["gitRepo", "srcPath", "outPath", "targetBranch", "imageRepo", "chart", "chartRepo", "env", "region",
         "replicas", "namespace", "appName", "version", "timeout", "registry", "team", "owner", "count", "flag"]
ctxp = ["ctx.stage", "ctx.project", "ctx.promotion", "ctx.targetFreight.name", "ctx.targetFreight.alias",
        "ctx.targetFreight.origin.name", "ctx.meta.promotion.actor", "ctx.meta.step.alias", "ctx.uiBaseUrl"]
lits = ['"main"', '"prod"', '"v1.2.3"', "'stage/'", '"-"', '"/"', "1", "2", "10", "0.5", "true", "false", "nil"]

def n():
    return rnd.randint(0, 99)

def var():
    return "vars." + rnd.choice(vars_) + ("" if rnd.random() < .7 else str(n()))

def out():
    s = rnd.choice(steps) + ("" if rnd.random() < .5 else "-" + str(n()))
    f = rnd.choice(fields)
    if "-" in s or rnd.random() < .3:
        return "outputs['" + s + "']." + f if rnd.random() < .6 else 'outputs["' + s + '"]["' + f.split(".")[0] + '"]'
    return "outputs." + s + "." + f

def task():
    return "task.outputs['" + rnd.choice(steps) + "']." + rnd.choice(fields)

def value():
    r = rnd.random()
    if r < .3: return var()
    if r < .55: return out()
    if r < .7: return rnd.choice(ctxp)
    if r < .8: return task()
    return rnd.choice(lits)

def strv():
    r = rnd.random()
    if r < .5: return value()
    if r < .7: return '"' + rnd.choice(["app", "svc", "img", "chart", "deploy"]) + str(n()) + '"'
    return rnd.choice(["upper", "lower", "trim", "string"]) + "(" + value() + ")"

shapes = [
    lambda: value(),
    lambda: "quote(" + value() + ")",
    lambda: "unsafeQuote(" + value() + ")",
    lambda: strv() + " + " + rnd.choice(['"/"', '"-"', '":"', "'@'"]) + " + " + strv(),
    lambda: strv() + " + " + strv() + " + " + strv(),
    lambda: value() + " ?? " + rnd.choice(lits),
    lambda: value() + " == " + rnd.choice(lits) + " ? " + strv() + " : " + strv(),
    lambda: value() + " != nil && " + value() + " " + rnd.choice(["==", "!=", "contains", "startsWith", "endsWith"]) + " " + strv(),
    lambda: "len(" + value() + ") " + rnd.choice([">", ">=", "<", "=="]) + " " + str(rnd.randint(0, 9)),
    lambda: "int(" + value() + ") " + rnd.choice(["+", "-", "*", "%"]) + " " + str(rnd.randint(1, 9)),
    lambda: "float(" + value() + ") " + rnd.choice(["*", "/"]) + " " + str(rnd.choice([2, 0.5, 100, 1.5])),
    lambda: "imageFrom(" + var() + ").Tag",
    lambda: "imageFrom(" + var() + ", warehouse(" + strv() + ")).Digest",
    lambda: "commitFrom(" + var() + ").ID",
    lambda: "commitFrom(" + var() + ", warehouse(\"w" + str(n()) + "\")).Tag",
    lambda: "chartFrom(" + var() + ", " + var() + ").Version",
    lambda: "secret(" + strv() + ")." + rnd.choice(["username", "password", "token"]),
    lambda: "configMap(" + strv() + ")['" + rnd.choice(vars_) + "']",
    lambda: "sharedConfigMap(\"cm-" + str(n()) + "\")." + rnd.choice(vars_),
    lambda: "status(\"" + rnd.choice(steps) + "\") == \"" + rnd.choice(["Succeeded", "Failed", "Errored"]) + "\"",
    lambda: rnd.choice(["success()", "failure()", "always()"]) + " && " + value() + " != nil",
    lambda: "semverParse(" + value() + ")." + rnd.choice(["Major", "Minor", "Patch"]) + " " + rnd.choice([">", "=="]) + " " + str(rnd.randint(0, 3)),
    lambda: "semverDiff(" + value() + ", " + value() + ") == \"" + rnd.choice(["major", "minor", "patch", "none"]) + "\"",
    lambda: "split(" + strv() + ", \"" + rnd.choice(["/", ":", ",", "-"]) + "\")[" + str(rnd.randint(0, 3)) + "]",
    lambda: "join(" + rnd.choice(["vars.names", "vars.list", "keys(" + var() + ")"]) + ", \"" + rnd.choice([",", " ", "/"]) + "\")",
    lambda: "replace(" + strv() + ", \"" + rnd.choice(["/", "v", "-"]) + "\", \"" + rnd.choice(["_", "", "."]) + "\")",
    lambda: rnd.choice(["hasPrefix", "hasSuffix"]) + "(" + strv() + ", \"" + rnd.choice(["v", "stage/", "-rc", "main"]) + "\")",
    lambda: rnd.choice(["trimPrefix", "trimSuffix"]) + "(" + strv() + ", \"" + rnd.choice(["v", "refs/heads/", ".git"]) + "\")",
    lambda: "filter(" + rnd.choice(["vars.people", "vars.items", var()]) + ", ." + rnd.choice(["age", "n", "size"]) + " " + rnd.choice([">", "<", ">="]) + " " + str(n()) + ")",
    lambda: "map(" + rnd.choice(["vars.people", "vars.items", var()]) + ", ." + rnd.choice(["name", "id", "tag"]) + ")",
    lambda: rnd.choice(["all", "any", "none", "one"]) + "(" + rnd.choice(["vars.list", var()]) + ", # " + rnd.choice([">", "<", "=="]) + " " + str(rnd.randint(0, 9)) + ")",
    lambda: "count(" + rnd.choice(["vars.list", var()]) + ", # " + rnd.choice([">", "<"]) + " " + str(rnd.randint(0, 9)) + ")",
    lambda: "sum(map(" + rnd.choice(["vars.people", var()]) + ", ." + rnd.choice(["age", "n"]) + "))",
    lambda: "sortBy(" + rnd.choice(["vars.people", var()]) + ", ." + rnd.choice(["age", "name"]) + ")[0]." + rnd.choice(["name", "id"]),
    lambda: "toJSON({\"" + rnd.choice(vars_) + "\": " + value() + ", \"" + rnd.choice(fields) + "\": " + value() + "})",
    lambda: "fromJSON(" + value() + ")." + rnd.choice(vars_),
    lambda: "asYAML({'" + rnd.choice(vars_) + "': " + value() + "})",
    lambda: "[" + ", ".join(value() for _ in range(rnd.randint(2, 4))) + "]",
    lambda: "{" + ", ".join('"k' + str(i) + '": ' + value() for i in range(rnd.randint(1, 3))) + "}",
    lambda: "let x = " + value() + "; x != nil ? x : " + strv(),
    lambda: value() + " in [" + ", ".join(rnd.choice(lits) for _ in range(3)) + "]",
    lambda: "not (" + value() + " " + rnd.choice(["==", "!="]) + " " + rnd.choice(lits) + ")",
    lambda: value() + " matches \"^" + rnd.choice(["v[0-9]+", "release-.*", "[a-f0-9]{7}"]) + "$\"",
    lambda: "(" + value() + " ?? " + rnd.choice(lits) + ") " + rnd.choice(["||", "&&", "or", "and"]) + " " + value() + " " + rnd.choice(["==", "!="]) + " " + rnd.choice(lits),
    lambda: "upper(" + strv() + ")[" + str(rnd.randint(0, 2)) + ":" + str(rnd.randint(3, 6)) + "]",
    lambda: value() + "?." + rnd.choice(fields.copy()).split(".")[0] + " ?? " + rnd.choice(lits),
    lambda: "duration(\"" + str(rnd.randint(1, 90)) + rnd.choice(["s", "m", "h", "ms"]) + "\")." + rnd.choice(["Seconds()", "Minutes()"]) if False else "string(" + str(n()) + ") + " + strv(),
    lambda: "string(" + rnd.choice(["vars.count", "len(" + value() + ")", str(n())]) + ") + \"" + rnd.choice(["x", "s", "%"]) + "\"",
    lambda: "max(" + ", ".join(str(rnd.randint(0, 50)) for _ in range(rnd.randint(2, 4))) + ")",
    lambda: "first(" + rnd.choice(["vars.list", "vars.names", var()]) + ") ?? " + rnd.choice(lits),
    lambda: "get(" + var() + ", \"" + rnd.choice(vars_) + "\") ?? " + rnd.choice(lits),
]

target = 5200
tries = 0
while len(corpus) < target and tries < 200000:
    tries += 1
    e = rnd.choice(shapes)()
    if len(e) <= 200:
        add(e)

os.makedirs(os.path.dirname(out_path), exist_ok=True)
with open(out_path, "w") as fh:
    fh.write("# Expression corpus for CompileBenchmark/CompileHarness: %d from the case files, %d from templates in\n"
             "# examples, docs and tests, %d generated Kargo-like variants. Made by benchmarks/corpus/generate.py.\n"
             % (seeds_cases, seeds - seeds_cases, len(corpus) - seeds))
    for e in corpus:
        fh.write(e + "\n")
print("corpus:", len(corpus), "expressions (", seeds, "seeds ) ->", out_path, file=sys.stderr)
