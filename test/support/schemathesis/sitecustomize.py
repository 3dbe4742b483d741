# Loaded by the Python that runs Schemathesis (PYTHONPATH): CPython 3.11's ast.parse can fail with
# "SystemError: AST constructor recursion depth mismatch" when called deep in a recursion, which Hypothesis
# does when it describes a strategy. The same parse on a fresh thread's stack succeeds.
import ast
import threading

_parse = ast.parse


def _parse_on_fresh_stack(*args, **kwargs):
    try:
        return _parse(*args, **kwargs)
    except SystemError:
        out = {}

        def run():
            try:
                out["tree"] = _parse(*args, **kwargs)
            except BaseException as err:  # handed back to the caller below
                out["error"] = err

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        if "error" in out:
            raise out["error"]
        return out["tree"]


ast.parse = _parse_on_fresh_stack
