# A meta-path finder installed before importlib was ever imported still serves imports, and
# ordinary imports keep working beside it.
import sys
class Early:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "early_virtual":
            return None
        import importlib.util
        return importlib.util.spec_from_loader(name, cls())
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        module.VALUE = "from the early finder"
sys.meta_path.insert(0, Early)
import early_virtual
print(early_virtual.VALUE)
import json
print(json.dumps([1]))
print("importlib_early_finder: ok")
