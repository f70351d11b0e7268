"""A small upstream with local fork branches, for the runs that only need
some real network to read: the valgrind census and render
(tests/valgrind/census_render.py) and the fuzz seeds (tests/fuzz/
make_seeds.py).

    with Sandbox() as sb:
        repo = tiny_network(sb)   # upstream "up": master, v1.0.0 v1.1.0,
                                  # refs/heads/forks/{acme,bob,quiet}
"""

__all__ = ["tiny_network"]


def tiny_network(sb):
    """Build the network in sandbox sb; its Repo."""
    up = sb.repo("up")
    up.write("README", "hello\n")
    up.write("src/main.c", "int main(void) { return 0; }\n")
    up.commit("initial")
    up.tag("v1.0.0", annotated=True)
    up.write("src/util.c", "int util(void) { return 1; }\n")
    up.commit("util")
    up.tag("v1.1.0", annotated=True)
    up.write("src/more.c", "int more;\n")
    up.commit("more")
    for name, files in (("acme", {"acme.c": "int acme;\n",
                                  "src/main.c": "int main(void) { return 2; }\n"}),
                        ("bob", {"bob/b.c": "int b;\nint c;\n"}),
                        ("quiet", {})):
        up.branch("forks/" + name, start="v1.0.0" if name == "bob"
                  else "master")
        up.checkout("forks/" + name)
        for path, text in files.items():
            up.write(path, text)
            up.commit("%s: %s" % (name, path))
        up.checkout("master")
    return up
