import * as ipaddr from "ipaddr.js";

/** True for a plain IPv4 or IPv6 address (no prefix length). */
export function isIpAddress(value: string): boolean {
    return ipaddr.isValid(value) && (ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value));
}

/** True for `address/prefix` where the address is the network address of that prefix. */
export function isCidr(value: string): boolean {
    const [addressText, prefixText, ...rest] = value.split("/");
    if (rest.length > 0 || prefixText === undefined || !/^(0|[1-9]\d*)$/.test(prefixText) || !isIpAddress(addressText)) return false;
    try {
        const [address, prefix] = ipaddr.parseCIDR(value);
        return networkAddress(address, prefix) === address.toNormalizedString();
    } catch {
        return false;
    }
}

/** Two CIDRs overlap when either contains the other's network address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const [aAddress, aPrefix] = ipaddr.parseCIDR(a);
    const [bAddress, bPrefix] = ipaddr.parseCIDR(b);
    if (aAddress.kind() !== bAddress.kind()) return false;
    return aAddress.match(bAddress, bPrefix) || bAddress.match(aAddress, aPrefix);
}

/** True when `address` lies inside `cidr`. */
export function cidrContains(cidr: string, address: string): boolean {
    const [network, prefix] = ipaddr.parseCIDR(cidr);
    const parsed = ipaddr.parse(address);
    return parsed.kind() === network.kind() && parsed.match(network, prefix);
}

function networkAddress(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): string {
    const bytes = address.toByteArray();
    const masked = bytes.map((byte, i) => {
        const bitsInByte = Math.max(0, Math.min(8, prefix - i * 8));
        return byte & ((0xff << (8 - bitsInByte)) & 0xff);
    });
    return ipaddr.fromByteArray(masked).toNormalizedString();
}
