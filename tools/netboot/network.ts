import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import * as ipaddr from "ipaddr.js";

/** The IPv4 address netboot serves from on `ifname`, and the network dnsmasq's proxy range covers. */
export interface ServingAddress {
    address: string;
    network: string;
    netmask: string;
}

/** The interface's IPv4 address (`wanted` when given: it must be one of them), or why not. */
export function servingAddress(ifname: string, wanted?: string): ServingAddress | { problem: string } {
    const addresses = (networkInterfaces()[ifname] ?? []).filter((a) => a.family === "IPv4");
    if (addresses.length === 0) return { problem: `interface ${ifname} has no IPv4 address (ip -4 addr show ${ifname}); netboot serves the network on it` };
    const chosen = wanted === undefined ? addresses[0] : addresses.find((a) => a.address === wanted);
    if (chosen === undefined) return { problem: `--address ${wanted} is not an address of ${ifname} (${addresses.map((a) => a.address).join(", ")})` };
    const cidr = chosen.cidr ?? `${chosen.address}/32`;
    const [network] = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString().split("/");
    return { address: chosen.address, network, netmask: chosen.netmask };
}

/** Local UDP ports with a socket bound, in this network namespace (/proc/net/udp). */
export function boundUdpPorts(): Set<number> {
    const lines = readFileSync("/proc/net/udp", "utf8").split("\n").slice(1).filter(Boolean);
    return new Set(lines.map((line) => parseInt(line.trim().split(/\s+/)[1].split(":")[1], 16)));
}

/** DHCP, TFTP and PXE boot-server discovery: the ports dnsmasq binds. */
export const dnsmasqPorts = [67, 69, 4011];
