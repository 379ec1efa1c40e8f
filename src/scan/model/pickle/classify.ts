/**
 * Classification of the callables a pickle imports. The allowlist is what real PyTorch, NumPy,
 * scikit-learn, joblib and Keras checkpoints reference; the denylist is code execution, processes,
 * file writes, network, dynamic import and attribute access, and the published scanner bypasses
 * (e.g. `pydoc.locate`, `numpy.testing._private.utils.runstring`, `uuid._get_command_stdout`).
 * Everything else is unknown, which makes a file suspicious, never safe by default.
 */

export type CallableClass = "safe" | "dangerous" | "unknown";

export interface Classification {
  class: CallableClass;
  reason: string;
}

/** Python 2 module names that `pickle` maps to Python 3 ones (fix_imports). */
const PY2_MODULES: Record<string, string> = {
  __builtin__: "builtins",
  copy_reg: "copyreg",
  cPickle: "pickle",
  commands: "subprocess",
  UserDict: "collections",
  urllib2: "urllib.request",
  httplib: "http.client",
};

/** Python 2 (module, name) pairs that map to a different Python 3 module (Lib/_compat_pickle.py NAME_MAPPING). */
const PY2_NAMES: Record<string, string> = {
  "urllib.urlopen": "urllib.request",
  "urllib.urlretrieve": "urllib.request",
  "urllib.quote": "urllib.parse",
  "__builtin__.raw_input": "builtins",
  "itertools.izip": "builtins",
  "itertools.imap": "builtins",
};

/** Normalise a module name the way the unpickler resolves it. */
export function normaliseModule(module: string, name?: string): string {
  if (name !== undefined) {
    const mapped = PY2_NAMES[`${module}.${name}`];
    if (mapped) return mapped;
  }
  return PY2_MODULES[module] ?? module;
}

const SAFE_EXACT = new Set<string>([
  "collections.OrderedDict",
  "collections.defaultdict",
  "collections.Counter",
  "collections.deque",
  "builtins.set",
  "builtins.frozenset",
  "builtins.dict",
  "builtins.list",
  "builtins.tuple",
  "builtins.int",
  "builtins.float",
  "builtins.complex",
  "builtins.bool",
  "builtins.bytes",
  "builtins.bytearray",
  "builtins.str",
  "builtins.slice",
  "builtins.range",
  "builtins.object",
  "copyreg._reconstructor",
  "copyreg.__newobj__",
  "copyreg.__newobj_ex__",
  "_codecs.encode",
  "datetime.datetime",
  "datetime.date",
  "datetime.time",
  "datetime.timedelta",
  "datetime.timezone",
  "decimal.Decimal",
  "fractions.Fraction",
  "argparse.Namespace",
  "pathlib.Path",
  "pathlib.PosixPath",
  "pathlib.WindowsPath",
  "pathlib.PurePath",
  "pathlib.PurePosixPath",
  "pathlib.PureWindowsPath",
  "numpy.core.multiarray._reconstruct",
  "numpy._core.multiarray._reconstruct",
  "numpy.core.multiarray.scalar",
  "numpy._core.multiarray.scalar",
  "numpy.core.numeric._frombuffer",
  "numpy._core.numeric._frombuffer",
  "numpy.ndarray",
  "numpy.dtype",
  "numpy.random._pickle.__bit_generator_ctor",
  "numpy.random._pickle.__randomstate_ctor",
  "numpy.random._pickle.__generator_ctor",
  "joblib.numpy_pickle.NumpyArrayWrapper",
  "joblib.numpy_pickle.NDArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
  "torch._utils._rebuild_tensor",
  "torch._utils._rebuild_tensor_v2",
  "torch._utils._rebuild_tensor_v3",
  "torch._utils._rebuild_parameter",
  "torch._utils._rebuild_parameter_with_state",
  "torch._utils._rebuild_qtensor",
  "torch._utils._rebuild_sparse_tensor",
  "torch._utils._rebuild_nested_tensor",
  "torch._utils._rebuild_device_tensor_from_numpy",
  "torch._utils._rebuild_meta_tensor_no_storage",
  "torch._utils._rebuild_wrapper_subclass",
  "torch._tensor._rebuild_from_type_v2",
  "torch.serialization._get_layout",
  "torch.Size",
  "torch.device",
  "torch.Tensor",
  "torch.nn.parameter.Parameter",
  "torch.storage.UntypedStorage",
  "torch.storage.TypedStorage",
  "torch.UntypedStorage",
  "torch.per_tensor_affine",
  "torch.per_channel_affine",
  "torch.strided",
  "torch.sparse_coo",
  "torch.contiguous_format",
  "torch.channels_last",
  "torch.preserve_format",
]);

const TORCH_STORAGES = [
  "Float",
  "Double",
  "Half",
  "BFloat16",
  "Long",
  "Int",
  "Short",
  "Char",
  "Byte",
  "Bool",
  "ComplexFloat",
  "ComplexDouble",
  "QInt8",
  "QUInt8",
  "QInt32",
  "QUInt4x2",
  "QUInt2x4",
];
for (const s of TORCH_STORAGES) SAFE_EXACT.add(`torch.${s}Storage`);
const TORCH_DTYPES = [
  "float16",
  "float32",
  "float64",
  "bfloat16",
  "half",
  "float",
  "double",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "bool",
  "complex64",
  "complex128",
  "qint8",
  "quint8",
  "qint32",
  "float8_e4m3fn",
  "float8_e5m2",
];
for (const d of TORCH_DTYPES) SAFE_EXACT.add(`torch.${d}`);

/** Modules (and their submodules) where every name can run code, touch files or the network. */
const DANGEROUS_MODULES = [
  "os",
  "posix",
  "nt",
  "posixpath",
  "ntpath",
  "subprocess",
  "pty",
  "socket",
  "shutil",
  "sys",
  "importlib",
  "runpy",
  "pickle",
  "_pickle",
  "pickletools",
  "dill",
  "cloudpickle",
  "marshal",
  "types",
  "ctypes",
  "_ctypes",
  "code",
  "codeop",
  "compileall",
  "py_compile",
  "webbrowser",
  "http",
  "urllib",
  "requests",
  "httpx",
  "aiohttp",
  "ftplib",
  "smtplib",
  "telnetlib",
  "poplib",
  "imaplib",
  "xmlrpc",
  "asyncio",
  "multiprocessing",
  "concurrent",
  "threading",
  "_thread",
  "signal",
  "tempfile",
  "io",
  "_io",
  "fileinput",
  "shelve",
  "dbm",
  "sqlite3",
  "zipimport",
  "pkgutil",
  "imp",
  "site",
  "pdb",
  "bdb",
  "timeit",
  "trace",
  "profile",
  "cProfile",
  "doctest",
  "pydoc",
  "idlelib",
  "lib2to3",
  "pip",
  "setuptools",
  "distutils",
  "venv",
  "ensurepip",
  "_osx_support",
  "_aix_support",
  "operator",
  "_operator",
  "builtins.__import__",
  "gc",
  "inspect",
  "linecache",
  "tarfile",
  "zipfile",
  "logging.config",
  "test.support",
  "jinja2",
  "mako",
  "numpy.testing",
  "numpy.f2py",
  "numpy.distutils",
  "numpy.load",
  "numpy.lib.npyio",
  "torch.load",
  "torch.serialization",
  "torch.hub",
  "torch.jit",
  "torch.package",
  "torch.storage._load_from_bytes",
  "torch.utils.cpp_extension",
  "torch._inductor",
  "torch._dynamo",
  "torch.ops",
  "torch.classes",
  "torch._C",
  "joblib.load",
  "joblib.numpy_pickle.load",
  "keras.models.load_model",
  "tensorflow.io",
  "tensorflow.keras.models.load_model",
  "uuid._get_command_stdout",
  "functools.partial",
  "functools.partialmethod",
  "functools.reduce",
  "copyreg.add_extension",
  "copyreg.remove_extension",
  "_posixsubprocess",
  "_winapi",
  "msvcrt",
  "winreg",
  "_winreg",
  "platform",
  "unittest",
  "socketserver",
  "ssl",
  "nntplib",
  "wsgiref",
  "mailbox",
  "_sqlite3",
  "mmap",
  "resource",
  "fcntl",
  "gzip",
  "bz2",
  "lzma",
  "numpy.save",
  "numpy.savez",
  "numpy.savez_compressed",
  "numpy.savetxt",
  "numpy.memmap",
  "numpy.fromfile",
  "numpy.loadtxt",
  "numpy.genfromtxt",
  "numpy.lib.format",
  "numpy.ctypeslib",
  "torch.save",
  "torch.from_file",
  "torch.distributed",
  "torch.multiprocessing",
  "torch.fx",
  "torch.export",
  "torch._export",
];

/** pathlib methods that touch the file system, reachable through protocol 4 dotted names. */
const PATHLIB_FILE_METHODS =
  /\.(write_\w+|read_\w+|open|unlink|rename|replace|touch|mkdir|rmdir|chmod|lchmod|symlink_to|hardlink_to|link_to|glob|rglob|iterdir|expanduser)$/;

/** Single builtins that execute code or reach objects by name. */
const DANGEROUS_BUILTINS = new Set([
  "eval",
  "exec",
  "execfile",
  "compile",
  "open",
  "file",
  "__import__",
  "getattr",
  "setattr",
  "delattr",
  "hasattr",
  "globals",
  "locals",
  "vars",
  "dir",
  "input",
  "breakpoint",
  "help",
  "apply",
  "reload",
  "memoryview",
  "type",
  "super",
  "classmethod",
  "staticmethod",
  "property",
  "__build_class__",
  "__loader__",
  "__spec__",
  "exit",
  "quit",
]);

/** Names that, met anywhere in a dotted attribute walk, reach code execution or the host. */
const DANGEROUS_SEGMENTS = new Set([
  ...DANGEROUS_MODULES.filter((m) => !m.includes(".")),
  ...DANGEROUS_BUILTINS,
  "system",
  "popen",
  "spawn",
  "execv",
  "execve",
  "startfile",
  "builtins",
  "modules",
  "load",
  "loads",
]);

/** Attribute names that reach interpreter internals when they appear in a dotted name. */
const DANGEROUS_ATTRIBUTES =
  /(^|\.)__(globals|builtins|subclasses|class|mro|bases|base|dict|getattribute|getattr|setattr|import|code|func|self|reduce|reduce_ex|setstate|init|new|call|loader|spec|module)__($|\.)/;

/** The callables of a load chain: when they get bytes, the bytes are analysed as a nested pickle. */
export const NESTED_LOADERS = new Set([
  "pickle.loads",
  "pickle.load",
  "pickle._loads",
  "_pickle.loads",
  "_pickle.load",
  "dill.loads",
  "cloudpickle.loads",
  "torch.load",
  "torch.serialization.load",
  "torch.storage._load_from_bytes",
  "numpy.load",
  "joblib.load",
  "io.BytesIO",
  "_io.BytesIO",
]);

function matchesModule(qualified: string, prefix: string): boolean {
  return qualified === prefix || qualified.startsWith(`${prefix}.`);
}

/** Classify `module.name` (module already normalised) as safe, dangerous or unknown. */
export function classifyGlobal(module: string, name: string): Classification {
  const mod = normaliseModule(module);
  const qualified = `${mod}.${name}`;
  if (DANGEROUS_ATTRIBUTES.test(name)) return { class: "dangerous", reason: "reaches interpreter internals" };
  if (mod === "builtins" || mod === "__main__.__builtins__") {
    const head = name.split(".")[0] ?? name;
    if (DANGEROUS_BUILTINS.has(head)) return { class: "dangerous", reason: `builtin ${head}` };
  }
  for (const prefix of DANGEROUS_MODULES) {
    if (matchesModule(qualified, prefix)) return { class: "dangerous", reason: `${prefix} is on the denylist` };
  }
  if (mod === "pathlib" && PATHLIB_FILE_METHODS.test(`.${name}`)) {
    return { class: "dangerous", reason: "pathlib file-system method" };
  }
  if (name.includes(".")) {
    // Protocol 4 dotted names walk attributes at load time: `argparse._os.system` is os.system.
    const segments = name.split(".");
    const reach = segments.find((seg) => seg.startsWith("_") || DANGEROUS_SEGMENTS.has(seg));
    if (reach !== undefined) return { class: "dangerous", reason: `attribute walk through ${reach}` };
    return { class: "unknown", reason: "dotted attribute path" };
  }
  if (SAFE_EXACT.has(qualified)) return { class: "safe", reason: "allowlisted" };
  if (mod === "__torch__" || mod.startsWith("__torch__.")) {
    return { class: "unknown", reason: "TorchScript class; the archive's code/ is not analysed" };
  }
  // scikit-learn and torch.nn estimator/module classes: class names only (CapWords), never functions.
  if ((mod.startsWith("sklearn.") || mod.startsWith("torch.nn.modules.")) && /^[A-Z][A-Za-z0-9]*$/.test(name)) {
    return { class: "safe", reason: "library class" };
  }
  return { class: "unknown", reason: "not on the allowlist" };
}

/** The allowlist, for documentation. */
export function safeCallables(): string[] {
  return [...SAFE_EXACT].sort();
}

/** The denylist prefixes, for documentation. */
export function dangerousPrefixes(): string[] {
  return [...DANGEROUS_MODULES, ...[...DANGEROUS_BUILTINS].map((b) => `builtins.${b}`)];
}
