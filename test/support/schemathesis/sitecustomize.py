# Loaded by the Python that runs Schemathesis (PYTHONPATH): CPython 3.11's ast.parse can fail with
# "SystemError: AST constructor recursion depth mismatch" when called deep in a recursion, which Hypothesis
# does when it describes a strategy. The same parse on a fresh thread's stack usually succeeds; when it fails
# there too, it is reported as a SyntaxError, which Hypothesis already handles by describing the lambda as
# "<unknown>": the description is cosmetic, the strategy is the same.
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
            err = out["error"]
            if isinstance(err, SystemError):
                raise SyntaxError(f"not parsed (CPython: {err})") from err
            raise err
        return out["tree"]


ast.parse = _parse_on_fresh_stack
