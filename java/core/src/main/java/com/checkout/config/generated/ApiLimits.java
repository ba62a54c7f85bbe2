// generated from config/api-limits.json — do not edit
// regenerate: nox -s codegen
// api-limits-sha256: 37e95284f929beb7c422ababfa70d97cb09477f98b2ccd17bce5e0dff81b7729
package com.checkout.config.generated;

import java.util.Map;

/** The request limits of config/api-limits.json, the same in every language. */
public final class ApiLimits {
    /**
     * Longest Idempotency-Key header accepted, in characters; a key is 1 to this many visible
     * ASCII characters (0x21-0x7E).
     */
    public static final int IDEMPOTENCY_KEY_MAX_LENGTH = 255;

    /**
     * Longest order_id accepted, in characters.
     */
    public static final int ORDER_ID_MAX_LENGTH = 64;

    /**
     * Longest customer_id accepted, in characters.
     */
    public static final int CUSTOMER_ID_MAX_LENGTH = 64;

    /**
     * Longest payment_token accepted, in characters.
     */
    public static final int PAYMENT_TOKEN_MAX_LENGTH = 255;

    /**
     * Largest amount accepted, in minor units of its currency (at most 2^53-1, so every language
     * holds it exactly).
     */
    public static final long AMOUNT_MINOR_MAX = 1000000000000L;

    /**
     * The currencies accepted: ISO 4217 code -&gt; minor-unit digits (an amount of 1050 in a
     * 2-digit currency is 10.50). Made once by `python -m tools.codegen.currency_table`: the
     * codes both java.util.Currency.getAvailableCurrencies() (with getDefaultFractionDigits()
     * &gt;= 0) and Node's Intl.supportedValuesOf('currency') know, minus the ISO 4217 metals,
     * funds, units of account, test code and XXX; the digits are ISO 4217's as the JDK carries
     * them (Node's ICU rounds some, e.g. IQD, HUF, IDR, to 0). Edit this table by hand only to
     * drop or add a currency.
     */
    public static final Map<String, Integer> CURRENCIES = Map.ofEntries(
            Map.entry("AED", 2),
            Map.entry("AFN", 2),
            Map.entry("ALL", 2),
            Map.entry("AMD", 2),
            Map.entry("ANG", 2),
            Map.entry("AOA", 2),
            Map.entry("ARS", 2),
            Map.entry("AUD", 2),
            Map.entry("AWG", 2),
            Map.entry("AZN", 2),
            Map.entry("BAM", 2),
            Map.entry("BBD", 2),
            Map.entry("BDT", 2),
            Map.entry("BGN", 2),
            Map.entry("BHD", 3),
            Map.entry("BIF", 0),
            Map.entry("BMD", 2),
            Map.entry("BND", 2),
            Map.entry("BOB", 2),
            Map.entry("BRL", 2),
            Map.entry("BSD", 2),
            Map.entry("BTN", 2),
            Map.entry("BWP", 2),
            Map.entry("BYN", 2),
            Map.entry("BZD", 2),
            Map.entry("CAD", 2),
            Map.entry("CDF", 2),
            Map.entry("CHF", 2),
            Map.entry("CLP", 0),
            Map.entry("CNY", 2),
            Map.entry("COP", 2),
            Map.entry("CRC", 2),
            Map.entry("CUC", 2),
            Map.entry("CUP", 2),
            Map.entry("CVE", 2),
            Map.entry("CZK", 2),
            Map.entry("DJF", 0),
            Map.entry("DKK", 2),
            Map.entry("DOP", 2),
            Map.entry("DZD", 2),
            Map.entry("EGP", 2),
            Map.entry("ERN", 2),
            Map.entry("ETB", 2),
            Map.entry("EUR", 2),
            Map.entry("FJD", 2),
            Map.entry("FKP", 2),
            Map.entry("GBP", 2),
            Map.entry("GEL", 2),
            Map.entry("GHS", 2),
            Map.entry("GIP", 2),
            Map.entry("GMD", 2),
            Map.entry("GNF", 0),
            Map.entry("GTQ", 2),
            Map.entry("GYD", 2),
            Map.entry("HKD", 2),
            Map.entry("HNL", 2),
            Map.entry("HRK", 2),
            Map.entry("HTG", 2),
            Map.entry("HUF", 2),
            Map.entry("IDR", 2),
            Map.entry("ILS", 2),
            Map.entry("INR", 2),
            Map.entry("IQD", 3),
            Map.entry("IRR", 2),
            Map.entry("ISK", 0),
            Map.entry("JMD", 2),
            Map.entry("JOD", 3),
            Map.entry("JPY", 0),
            Map.entry("KES", 2),
            Map.entry("KGS", 2),
            Map.entry("KHR", 2),
            Map.entry("KMF", 0),
            Map.entry("KPW", 2),
            Map.entry("KRW", 0),
            Map.entry("KWD", 3),
            Map.entry("KYD", 2),
            Map.entry("KZT", 2),
            Map.entry("LAK", 2),
            Map.entry("LBP", 2),
            Map.entry("LKR", 2),
            Map.entry("LRD", 2),
            Map.entry("LSL", 2),
            Map.entry("LYD", 3),
            Map.entry("MAD", 2),
            Map.entry("MDL", 2),
            Map.entry("MGA", 2),
            Map.entry("MKD", 2),
            Map.entry("MMK", 2),
            Map.entry("MNT", 2),
            Map.entry("MOP", 2),
            Map.entry("MRU", 2),
            Map.entry("MUR", 2),
            Map.entry("MVR", 2),
            Map.entry("MWK", 2),
            Map.entry("MXN", 2),
            Map.entry("MYR", 2),
            Map.entry("MZN", 2),
            Map.entry("NAD", 2),
            Map.entry("NGN", 2),
            Map.entry("NIO", 2),
            Map.entry("NOK", 2),
            Map.entry("NPR", 2),
            Map.entry("NZD", 2),
            Map.entry("OMR", 3),
            Map.entry("PAB", 2),
            Map.entry("PEN", 2),
            Map.entry("PGK", 2),
            Map.entry("PHP", 2),
            Map.entry("PKR", 2),
            Map.entry("PLN", 2),
            Map.entry("PYG", 0),
            Map.entry("QAR", 2),
            Map.entry("RON", 2),
            Map.entry("RSD", 2),
            Map.entry("RUB", 2),
            Map.entry("RWF", 0),
            Map.entry("SAR", 2),
            Map.entry("SBD", 2),
            Map.entry("SCR", 2),
            Map.entry("SDG", 2),
            Map.entry("SEK", 2),
            Map.entry("SGD", 2),
            Map.entry("SHP", 2),
            Map.entry("SLE", 2),
            Map.entry("SLL", 2),
            Map.entry("SOS", 2),
            Map.entry("SRD", 2),
            Map.entry("SSP", 2),
            Map.entry("STN", 2),
            Map.entry("SVC", 2),
            Map.entry("SYP", 2),
            Map.entry("SZL", 2),
            Map.entry("THB", 2),
            Map.entry("TJS", 2),
            Map.entry("TMT", 2),
            Map.entry("TND", 3),
            Map.entry("TOP", 2),
            Map.entry("TRY", 2),
            Map.entry("TTD", 2),
            Map.entry("TWD", 2),
            Map.entry("TZS", 2),
            Map.entry("UAH", 2),
            Map.entry("UGX", 0),
            Map.entry("USD", 2),
            Map.entry("UYU", 2),
            Map.entry("UZS", 2),
            Map.entry("VES", 2),
            Map.entry("VND", 0),
            Map.entry("VUV", 0),
            Map.entry("WST", 2),
            Map.entry("XAF", 0),
            Map.entry("XCD", 2),
            Map.entry("XCG", 2),
            Map.entry("XOF", 0),
            Map.entry("XPF", 0),
            Map.entry("YER", 2),
            Map.entry("ZAR", 2),
            Map.entry("ZMW", 2),
            Map.entry("ZWG", 2),
            Map.entry("ZWL", 2));

    private ApiLimits() {}
}
