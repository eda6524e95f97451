import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";

/**
 * A scripted PXE client for test/netboot.test.ts: what a machine's PXE firmware, and then iPXE,
 * send in DHCPDISCOVER (RFC 2131, PXE options of RFC 4578), and a reader for the replies. Run as a
 * program inside the client's network namespace; it prints the replies as JSON.
 */

export interface DhcpRequestOptions {
    mac: string;
    /** Option 93: 0 BIOS, 7 x86-64 UEFI, 11 arm64 UEFI. */
    clientArch: number;
    /** iPXE's request: user class "iPXE" (option 77). */
    ipxe: boolean;
    xid: number;
    uuid: Buffer;
}

const magicCookie = Buffer.from([99, 130, 83, 99]);

function option(code: number, value: Buffer): Buffer {
    return Buffer.concat([Buffer.from([code, value.length]), value]);
}

/**
 * PXE boot server discovery (port 4011), with the address the site's DHCP server gave the client:
 * for the menu item it chose (BIOS), or, without one, for the file of its architecture (dnsmasq
 * sends UEFI clients there with no menu, as many UEFI PXE stacks mishandle menus).
 */
export interface BootServerRequest {
    ciaddr: string;
    bootItem?: Buffer;
}

/**
 * A DHCPDISCOVER by broadcast (the firmware has no address yet), or with `bootServer` the
 * DHCPREQUEST a PXE ROM then sends to the proxy's port 4011 for the boot file of a menu item.
 */
export function dhcpRequest({ mac, clientArch, ipxe, xid, uuid }: DhcpRequestOptions, bootServer?: BootServerRequest): Buffer {
    const header = Buffer.alloc(236);
    header[0] = 1; // BOOTREQUEST
    header[1] = 1; // Ethernet
    header[2] = 6;
    header.writeUInt32BE(xid, 4);
    if (bootServer) Buffer.from(bootServer.ciaddr.split(".").map(Number)).copy(header, 12);
    else header.writeUInt16BE(0x8000, 10); // no address yet: answer by broadcast
    Buffer.from(mac.split(":").map((pair) => parseInt(pair, 16))).copy(header, 28);
    const arch = Buffer.alloc(2);
    arch.writeUInt16BE(clientArch);
    const vendorClass = `PXEClient:Arch:${String(clientArch).padStart(5, "0")}:UNDI:002001`;
    return Buffer.concat([
        header,
        magicCookie,
        option(53, Buffer.from([bootServer ? 3 : 1])), // DHCPREQUEST or DHCPDISCOVER
        ...(bootServer?.bootItem ? [option(43, Buffer.concat([Buffer.from([71, bootServer.bootItem.length]), bootServer.bootItem, Buffer.from([255])]))] : []),
        option(55, Buffer.from([1, 3, 43, 60, 66, 67, 97, 128, 129, 130, 175])),
        option(60, Buffer.from(vendorClass)),
        option(93, arch),
        option(94, Buffer.from([1, 2, 1])), // UNDI 2.1
        option(97, Buffer.concat([Buffer.from([0]), uuid])),
        ...(ipxe ? [option(77, Buffer.from("iPXE")), option(175, Buffer.from([0xb1, 5, 1, 0x80, 0x86, 0x10, 0x0e]))] : []),
        Buffer.from([255]),
    ]);
}

export interface Reply {
    op: number;
    xid: number;
    yiaddr: string;
    siaddr: string;
    sname: string;
    file: string;
    options: Record<number, string>;
}

function cString(bytes: Buffer): string {
    const end = bytes.indexOf(0);
    return bytes.subarray(0, end < 0 ? bytes.length : end).toString("latin1");
}

export function parseReply(packet: Buffer): Reply {
    const options: Record<number, string> = {};
    for (let at = 240; at < packet.length && packet[at] !== 255;) {
        if (packet[at] === 0) { at += 1; continue; }
        const code = packet[at];
        const length = packet[at + 1];
        options[code] = packet.subarray(at + 2, at + 2 + length).toString("hex");
        at += 2 + length;
    }
    return {
        op: packet[0],
        xid: packet.readUInt32BE(4),
        yiaddr: [...packet.subarray(16, 20)].join("."),
        siaddr: [...packet.subarray(20, 24)].join("."),
        sname: cString(packet.subarray(44, 108)),
        file: cString(packet.subarray(108, 236)),
        options,
    };
}

/** The PXE vendor options (option 43) of a reply by sub-option: 6 discovery control, 8 boot servers, 9 menu, 71 boot item. */
export function pxeSubOptions(optionHex: string | undefined): Record<number, Buffer> {
    const bytes = Buffer.from(optionHex ?? "", "hex");
    const found: Record<number, Buffer> = {};
    for (let at = 0; at < bytes.length && bytes[at] !== 255;) {
        found[bytes[at]] = bytes.subarray(at + 2, at + 2 + bytes[at + 1]);
        at += 2 + bytes[at + 1];
    }
    return found;
}

/**
 * What a PXE ROM does with a proxy-DHCP server: DISCOVER by broadcast; when the proxy offer names
 * no boot file, REQUEST one from the proxy's port 4011 (the first menu item when the offer is a
 * menu), with the address the site's DHCP server gave, `ciaddr`. Every reply in order; a wait
 * past the deadline ends the exchange.
 */
export async function pxeExchange(request: Omit<DhcpRequestOptions, "xid" | "uuid">, ciaddr: string, deadlineMs: number): Promise<Reply[]> {
    const client = { ...request, xid: randomBytes(4).readUInt32BE(), uuid: randomBytes(16) };
    const socket = createSocket({ type: "udp4", reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(68, "0.0.0.0", () => resolve());
    });
    socket.setBroadcast(true);
    try {
        const offer = await nextReply(socket, client.xid, dhcpRequest(client), "255.255.255.255", 67, deadlineMs);
        if (offer === undefined) return [];
        if (offer.file !== "") return [offer];
        const menu = pxeSubOptions(offer.options[43])[9];
        const bootItem = menu && Buffer.concat([menu.subarray(0, 2), Buffer.from([0, 0])]); // the first item, layer 0
        const ack = await nextReply(socket, client.xid, dhcpRequest(client, { ciaddr, bootItem }), hexAddress(offer.options[54]), 4011, deadlineMs);
        return ack ? [offer, ack] : [offer];
    } finally {
        socket.close();
    }
}

function hexAddress(hex: string): string {
    return [...Buffer.from(hex, "hex")].join(".");
}

type Socket = ReturnType<typeof createSocket>;

/** Sends `request`; the first reply with its xid, or undefined when none came before the deadline. */
function nextReply(socket: Socket, xid: number, request: Buffer, address: string, port: number, deadlineMs: number): Promise<Reply | undefined> {
    socket.removeAllListeners("message");
    return new Promise<Reply | undefined>((resolve, reject) => {
        const deadline = setTimeout(() => resolve(undefined), deadlineMs);
        socket.on("message", (packet) => {
            const reply = parseReply(packet);
            if (reply.op === 2 && reply.xid === xid) {
                clearTimeout(deadline);
                resolve(reply);
            }
        });
        socket.send(request, port, address, (error) => {
            if (error) {
                clearTimeout(deadline);
                reject(error);
            }
        });
    });
}

/** usage: pxeClient.ts <mac> <client arch> pxe|ipxe <own address> <deadline ms>; prints the replies as JSON. */
if (require.main === module) {
    const [mac, clientArch, kind, ciaddr, deadlineMs] = process.argv.slice(2);
    pxeExchange({ mac, clientArch: Number(clientArch), ipxe: kind === "ipxe" }, ciaddr, Number(deadlineMs)).then(
        (replies) => console.log(JSON.stringify(replies)),
        (error) => {
            console.error(error);
            process.exit(1);
        },
    );
}
