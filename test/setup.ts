// Tests never reach the internet: any connection to a host outside loopback fails loudly.
import net from "node:net";

const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
const originalConnect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string } | number | string;
  const host =
    typeof options === "object" && options !== null ? options.host : typeof args[1] === "string" ? args[1] : undefined;
  const isIpc = typeof options === "object" && options !== null && typeof options.path === "string";
  if (!isIpc && host !== undefined && !loopback.test(host)) {
    throw new Error(`test tried to reach ${host}: tests must use a local fake server`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
};
