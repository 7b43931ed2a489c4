// The shared formatters (src/format.ts), by hand.
import { describe, expect, it } from "vitest";
import { fixed, percent, percentRange, range, signed } from "../src/format.js";

describe("formatters", () => {
  it("percent: one decimal under 10 %, none above; missing values as a dash", () => {
    expect(percent(0.034)).toBe("3.4%");
    expect(percent(0.25)).toBe("25%");
    expect(percent(0)).toBe("0%");
    expect(percent(1)).toBe("100%");
    expect(percent(0.0999)).toBe("10.0%");
    expect(percent(0.12345, 2)).toBe("12.35%");
    for (const x of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(percent(x)).toBe("—");
  });
  it("fixed, signed, ranges", () => {
    expect(fixed(0.25)).toBe("0.250");
    expect(fixed(null)).toBe("—");
    expect(signed(3)).toBe("+3");
    expect(signed(-2)).toBe("−2");
    expect(signed(0)).toBe("0");
    expect(signed(-0.04, 1)).toBe("0.0");
    expect(range(3.44, 7.06)).toBe("3.4–7.1");
    expect(range(-3.4, -3.3)).toBe("−3.4 to −3.3");
    expect(percentRange(0.034, 0.071)).toBe("3.4–7.1%");
    expect(percentRange(0.2, 0.73)).toBe("20–73%");
  });
});
