import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkCreditCode,
  checkIdNumber,
  checkMobile,
  creditCodeCheckChar,
  idCheckDigit,
  maskIdNumber,
  maskPhone,
} from "@govinfo/shared/identity";

describe("居民身份证号码 (GB 11643)", () => {
  it("accepts the published example with an X check digit", () => {
    assert.deepEqual(checkIdNumber("11010519491231002X"), {
      ok: true,
      value: "11010519491231002X",
      birthDate: "1949-12-31",
      sex: "female",
    });
    assert.equal(checkIdNumber("11010519491231002x").ok, true); // lower-case x is normalised
  });

  it("accepts numbers whose check digit was computed by hand", () => {
    // Σ(digit × weight) = 179, 179 mod 11 = 3 → '9'.
    assert.equal(idCheckDigit("32010219851111123"), "9");
    assert.equal(checkIdNumber("320102198511111239").ok, true);
    // Σ = 176, mod 11 = 0 → '1'.
    assert.equal(checkIdNumber("440304199001010011").ok, true);
    // Born on a leap day.
    assert.equal(checkIdNumber(`51010720000229004${idCheckDigit("51010720000229004")}`).ok, true);
  });

  it("rejects wrong check digits, dates, lengths and characters with Chinese messages", () => {
    const cases: Array<[string, RegExp]> = [
      ["110105194912310021", /校验位错误/],
      ["320102198511111238", /校验位错误/],
      ["11010519490230002X", /出生日期无效/],
      ["11010520250229002X", /出生日期无效/],
      ["11010519491231002", /应为18位/],
      ["1101051949123100AX", /前17位应为数字/],
      ["00010519491231002X", /地址码无效/],
    ];
    for (const [input, message] of cases) {
      const result = checkIdNumber(input);
      assert.equal(result.ok, false, input);
      if (!result.ok) assert.match(result.error, message, input);
    }
  });
});

describe("统一社会信用代码 (GB 32100-2015)", () => {
  it("accepts the published example", () => {
    assert.deepEqual(checkCreditCode("91350100M000100Y43"), { ok: true, value: "91350100M000100Y43" });
  });

  it("computes check characters (hand-checked: Σ = 1815, 1815 mod 31 = 17, 31 − 17 = 14 → E)", () => {
    assert.equal(creditCodeCheckChar("91110108MA01ABCD1"), "E");
    assert.equal(checkCreditCode("91110108MA01ABCD1E").ok, true);
  });

  it("rejects wrong check characters, forbidden letters and bad lengths", () => {
    const cases: Array<[string, RegExp]> = [
      ["91350100M000100Y44", /校验码错误/],
      ["91350100M000100I43", /无效字符/],
      ["91350100M000100Y4", /应为18位/],
      ["01350100M000100Y43", /登记管理部门/],
    ];
    for (const [input, message] of cases) {
      const result = checkCreditCode(input);
      assert.equal(result.ok, false, input);
      if (!result.ok) assert.match(result.error, message, input);
    }
  });
});

describe("mobile numbers and masking", () => {
  it("validates mainland mobile numbers", () => {
    assert.deepEqual(checkMobile("13812345678"), { ok: true, value: "13812345678" });
    assert.deepEqual(checkMobile("+86 138-1234-5678"), { ok: true, value: "13812345678" });
    for (const bad of ["12812345678", "1381234567", "138123456789", "0105551234"]) {
      const result = checkMobile(bad);
      assert.equal(result.ok, false, bad);
      if (!result.ok) assert.match(result.error, /手机号码格式不正确/);
    }
  });

  it("masks phones and ID numbers", () => {
    assert.equal(maskPhone("13812345678"), "138****5678");
    assert.equal(maskIdNumber("11010519491231002X"), "110105********002X");
    assert.equal(maskIdNumber("AB"), "**");
  });
});
