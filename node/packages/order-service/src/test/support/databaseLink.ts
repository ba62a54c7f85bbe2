// A TCP relay between the service and its PostgreSQL server that a test can cut and restore: the
// database going away (every connection reset, new ones refused) and coming back on the same
// address, on any server — also a shared one the test must not stop.
import { connect, createServer, type Server, type Socket } from "node:net";

export class DatabaseLink {
  /** The database URL with the relay's port in place of the server's. */
  readonly url: string;
  readonly #target: { host: string; port: number };
  readonly #port: number;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  private constructor(url: URL, port: number) {
    this.#target = { host: url.hostname, port: Number(url.port || 5432) };
    this.#port = port;
    const relayed = new URL(url.toString());
    relayed.host = `127.0.0.1:${port}`;
    this.url = relayed.toString();
  }

  /** A relay on a free port of 127.0.0.1 to the server of `databaseUrl`, passing traffic. */
  static async open(databaseUrl: string): Promise<DatabaseLink> {
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, "127.0.0.1", () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const link = new DatabaseLink(new URL(databaseUrl), port);
    await link.restore();
    return link;
  }

  get up(): boolean {
    return this.#server !== undefined;
  }

  /** Resets every relayed connection and refuses new ones until {@link restore}. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) {
      socket.resetAndDestroy();
    }
    this.#sockets.clear();
    if (server !== undefined) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Accepts connections again, on the same port. */
  async restore(): Promise<void> {
    if (this.#server !== undefined) {
      return;
    }
    const server = createServer((client) => {
      const upstream = connect(this.#target.port, this.#target.host);
      for (const [socket, other] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.#sockets.add(socket);
        socket.on("error", () => other.destroy());
        socket.on("close", () => {
          this.#sockets.delete(socket);
          other.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", () => resolve());
    });
    this.#server = server;
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
