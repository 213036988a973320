import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { wheelEntries } from "../../../src/ecosystems/pypi/index/wheel.js";

const MiB = 1024 * 1024;

// Incompressible filler, so a member's stored size is its real size.
function noise(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let state = seed;
  for (let at = 0; at < bytes; at++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[at] = state >>> 24;
  }
  return out;
}

/** A range server over the wheel's bytes that records each Range asked for. */
function served(wheel: Uint8Array) {
  const ranges: string[] = [];
  const fetchRange = async (range: string) => {
    ranges.push(range);
    const [, start = "", end = ""] = /^bytes=(\d*)-(\d*)$/.exec(range) ?? [];
    const from = start === "" ? Math.max(0, wheel.byteLength - Number(end)) : Number(start);
    const to = start === "" || end === "" ? wheel.byteLength : Number(end) + 1;
    return Promise.resolve({ status: 206, bytes: wheel.subarray(from, to), total: wheel.byteLength });
  };
  return { fetchRange, ranges };
}

const record = (name: string) => (member: string) => member === `${name}-1.0.dist-info/RECORD` || (member === `${name}-1.0.dist-info/top_level.txt` && "optional");

describe("reading a wheel's dist-info by range in as few requests as its layout allows", () => {
  it("a central directory larger than the tail: one more read takes it and RECORD, written just before it", async () => {
    const files: Record<string, Uint8Array> = {};
    // 3,000 modules: a directory of about 200 KB, as botocore's.
    for (let module = 0; module < 3000; module++) files[`big/package_with_a_long_name/module_${module}_of_the_generated_client.py`] = strToU8("x = 1\n");
    files["big-1.0.dist-info/top_level.txt"] = strToU8("big\n");
    files["big-1.0.dist-info/RECORD"] = strToU8(Object.keys(files).map((file) => `${file},,`).join("\n"));
    const { fetchRange, ranges } = served(zipSync(files));
    const found = await wheelEntries(fetchRange, record("big"), 40 * MiB);
    expect([...found.keys()]).toEqual(["big-1.0.dist-info/RECORD", "big-1.0.dist-info/top_level.txt"]);
    expect(ranges).toEqual(["bytes=-65536", expect.stringMatching(/^bytes=\d+-\d+$/)]);
  });

  it("members far apart (METADATA first, 3 MB of code, RECORD last) are read one by one, not with what lies between", async () => {
    const wheel = zipSync({ "far-1.0.dist-info/METADATA": strToU8("Name: far\n"), "far/_native.so": noise(3 * MiB, 7), "far-1.0.dist-info/RECORD": strToU8("far/_native.so,,\n") }, { level: 0 });
    const { fetchRange, ranges } = served(wheel);
    const found = await wheelEntries(fetchRange, (member) => /dist-info\/(METADATA|RECORD)$/.test(member), 40 * MiB);
    expect(new TextDecoder().decode(found.get("far-1.0.dist-info/METADATA"))).toBe("Name: far\n");
    expect(ranges).toEqual(["bytes=-65536", expect.stringMatching(/^bytes=0-\d{3}$/)]);
  });

  it("an optional member comes only with the bytes already read; without RECORD it is read instead", async () => {
    const apart = zipSync({ "opt-1.0.dist-info/top_level.txt": strToU8("opt\n"), "opt/data.bin": noise(2 * MiB, 3), "opt-1.0.dist-info/RECORD": strToU8("opt/data.bin,,\n") }, { level: 0 });
    const withRecord = served(apart);
    expect([...(await wheelEntries(withRecord.fetchRange, record("opt"), 40 * MiB)).keys()]).toEqual(["opt-1.0.dist-info/RECORD"]);
    expect(withRecord.ranges).toEqual(["bytes=-65536"]);
    const withoutRecord = served(zipSync({ "opt-1.0.dist-info/top_level.txt": strToU8("opt\n"), "opt/data.bin": noise(2 * MiB, 3) }, { level: 0 }));
    expect([...(await wheelEntries(withoutRecord.fetchRange, record("opt"), 40 * MiB)).keys()]).toEqual(["opt-1.0.dist-info/top_level.txt"]);
  });

  it("a wanted part larger than the limit is refused, not downloaded", async () => {
    const wheel = zipSync({ "huge-1.0.dist-info/METADATA": noise(2 * MiB, 5), "huge-1.0.dist-info/RECORD": strToU8("x,,\n") }, { level: 0 });
    const { fetchRange, ranges } = served(wheel);
    expect(await wheelEntries(fetchRange, (member) => member.endsWith("/METADATA"), MiB)).toEqual(new Map());
    expect(ranges).toEqual(["bytes=-65536"]);
  });
});
