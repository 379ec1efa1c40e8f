/**
 * Where a remote MCP server's URL points, for the SSRF check: a public address, or loopback, a
 * private network, link-local, a cloud metadata endpoint. Hosts are read as the WHATWG URL
 * parser reads them — the parser every Electron client uses — so `http://2130706433/`,
 * `http://0x7f.1/` and `http://017700000001/` are all 127.0.0.1 before we look. IP ranges come
 * from `ipaddr.js` (IANA special-purpose registries, RFC 6890); IPv4-mapped, 6to4 and NAT64
 * IPv6 addresses are judged by the IPv4 address inside. Names are not resolved (the scan is
 * offline): a public name that resolves to a private address is not caught here.
 */
import ipaddr from "ipaddr.js";

/** What a host is, from least to most worrying for SSRF. */
export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "reserved"
  | "local-name"
  | "metadata"
  | "invalid";

/**
 * Cloud instance metadata endpoints: AWS/GCP/Azure/OpenStack/Oracle 169.254.169.254, AWS
 * IMDS over IPv6 fd00:ec2::254, ECS task metadata 169.254.170.2, Alibaba 100.100.100.200.
 */
const METADATA_ADDRESSES = new Set(["169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200"]);
/** Metadata host names (GCP's, and AWS's `instance-data`). */
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data"]);
/** Names of a local network (RFC 6762 `.local`, RFC 8375 `home.arpa`, the `.internal` TLD, common intranet suffixes). */
const LOCAL_SUFFIXES = [".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp"];
/** `localhost` and `*.localhost` are loopback (RFC 6761 §6.3); so are public wildcard-DNS names that resolve to it (`localtest.me`, `lvh.me`, `vcap.me`). */
const LOOPBACK_NAMES = ["localtest.me", "lvh.me", "vcap.me"];
/** Wildcard DNS that resolves a name to the IPv4 address written in it (`10.0.0.1.nip.io`, `10-0-0-1.sslip.io`). */
const IP_IN_NAME = /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})\.(?:nip\.io|sslip\.io|xip\.io)$/;

const RANGE_CLASS: Record<string, AddressClass> = {
  unicast: "public",
  loopback: "loopback",
  // 0.0.0.0 and :: reach the local host on Linux and macOS.
  unspecified: "loopback",
  private: "private",
  uniqueLocal: "private",
  carrierGradeNat: "private",
  linkLocal: "link-local",
};

function classifyAddress(address: ipaddr.IPv4 | ipaddr.IPv6): AddressClass {
  const text = address.toString();
  if (METADATA_ADDRESSES.has(text)) return "metadata";
  if (address.kind() === "ipv6") {
    const v6 = address as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return classifyAddress(v6.toIPv4Address());
    const parts = v6.toByteArray();
    const range = v6.range();
    // 6to4 (2002:AABB:CCDD::/48) and NAT64 (64:ff9b::AABB:CCDD) carry an IPv4 address.
    if (range === "6to4") return worse("public", classifyAddress(new ipaddr.IPv4(parts.slice(2, 6))));
    if (range === "rfc6052") return classifyAddress(new ipaddr.IPv4(parts.slice(12, 16)));
  }
  return RANGE_CLASS[address.range()] ?? "reserved";
}

const ORDER: readonly AddressClass[] = [
  "public",
  "loopback",
  "private",
  "link-local",
  "reserved",
  "local-name",
  "metadata",
  "invalid",
];
function worse(a: AddressClass, b: AddressClass): AddressClass {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/**
 * The class of a URL host as `new URL(...).hostname` gives it (IPv6 in brackets, IPv4 already
 * normalised). A bare host is accepted too and put through the URL parser first.
 */
export function classifyHost(hostname: string): AddressClass {
  if (/[/?#@\\\s]/.test(hostname)) return "invalid";
  const bracketed = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  let host: string;
  try {
    host = new URL(`http://${bracketed}/`).hostname;
  } catch {
    return "invalid";
  }
  host = host.toLowerCase().replace(/\.+$/, "");
  if (host === "") return "invalid";
  const literal = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (ipaddr.isValid(literal) && (literal.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(literal)))
    return classifyAddress(ipaddr.parse(literal));
  if (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    LOOPBACK_NAMES.some((n) => host === n || host.endsWith(`.${n}`))
  )
    return "loopback";
  if (METADATA_NAMES.has(host)) return "metadata";
  const embedded = IP_IN_NAME.exec(host);
  if (embedded) {
    const octets = embedded.slice(1, 5).map(Number);
    if (octets.every((o) => o <= 255)) return classifyAddress(new ipaddr.IPv4(octets));
  }
  if (LOCAL_SUFFIXES.some((s) => host.endsWith(s))) return "local-name";
  // A single label (`intranet`, `db`) is resolved through the local search domains.
  if (!host.includes(".")) return "local-name";
  return "public";
}

/** The class of a URL's host, `invalid` when it does not parse as a URL. */
export function classifyUrl(url: string): { class: AddressClass; host: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { class: "invalid", host: "" };
  }
  return { class: classifyHost(parsed.hostname), host: parsed.hostname };
}

/** Does this class let a scan connect without `--allow-private`? */
export function isPublicAddress(kind: AddressClass): boolean {
  return kind === "public";
}
