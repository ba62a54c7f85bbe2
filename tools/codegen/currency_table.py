"""`python -m tools.codegen.currency_table`: print the currency table of config/api-limits.json.

Run once, by hand, when the table should change (the JDK and Node it ran with go into the README of
config/examples); the result is committed as data so no build depends on a runtime's locale data.
The table is every ISO 4217 code both runtimes know, with the minor-unit digits of ISO 4217 as the
JDK carries them:
- Java: `java.util.Currency.getAvailableCurrencies()` with `getDefaultFractionDigits() >= 0`
  (-1 marks codes without minor units, such as XAU);
- Node: `Intl.supportedValuesOf("currency")`;
- minus the ISO 4217 X codes that are no money a customer pays in: precious metals, funds and units
  of account, the test code and "no currency" (NOT_MONEY). The JDK already gives every one of them
  -1 digits; the list keeps them out should a runtime ever give digits. The X codes that are real
  currencies stay: XAF and XOF (CFA francs), XCD (East Caribbean dollar), XCG (Caribbean guilder)
  and XPF (CFP franc).
Codes where Node's ICU rounds to other digits than ISO 4217 are printed to stderr: ISO 4217 wins.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

# fmt: off
NOT_MONEY = frozenset({
    "XAG", "XAU", "XPD", "XPT",  # silver, gold, palladium, platinum
    "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", "XFO", "XFU",  # funds, units of account
    "XTS", "XXX",  # testing, no currency
})
# fmt: on

_JAVA = """
import java.util.Currency;
public class Currencies {
    public static void main(String[] args) {
        for (Currency c : Currency.getAvailableCurrencies()) {
            System.out.println(c.getCurrencyCode() + " " + c.getDefaultFractionDigits());
        }
    }
}
"""
_NODE = """
const out = {};
for (const code of Intl.supportedValuesOf("currency")) {
  const format = new Intl.NumberFormat("en", { style: "currency", currency: code });
  out[code] = format.resolvedOptions().maximumFractionDigits;
}
console.log(JSON.stringify(out));
"""


def java_digits() -> dict[str, int]:
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "Currencies.java"
        source.write_text(_JAVA, encoding="utf-8")
        text = subprocess.run(["java", str(source)], capture_output=True, text=True, check=True).stdout
    pairs = (line.split() for line in text.splitlines() if line.strip())
    return {code: int(digits) for code, digits in pairs if int(digits) >= 0}


def node_digits() -> dict[str, int]:
    text = subprocess.run(["node", "-e", _NODE], capture_output=True, text=True, check=True).stdout
    table: dict[str, int] = json.loads(text)
    return table


def table() -> dict[str, int]:
    java, node = java_digits(), node_digits()
    codes = sorted(code for code in java.keys() & node.keys() if code not in NOT_MONEY)
    for code in codes:
        if java[code] != node[code]:
            note = f"{code}: ISO 4217 (JDK) {java[code]} digits, Node ICU {node[code]}; kept {java[code]}"
            print(note, file=sys.stderr)
    return {code: java[code] for code in codes}


if __name__ == "__main__":
    print(json.dumps(table(), indent=2))
