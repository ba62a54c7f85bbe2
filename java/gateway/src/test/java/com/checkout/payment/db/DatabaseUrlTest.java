package com.checkout.payment.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.GatewayOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void aLibpqUrlBecomesAJdbcUrlWithTheCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://gw%40prod:p%3Ass@db.internal:6432/gateway?sslmode=require");

        assertEquals("jdbc:postgresql://db.internal:6432/gateway?sslmode=require", url.jdbcUrl());
        assertEquals("gw@prod", url.user());
        assertEquals("p:ss", url.password());
        assertEquals("postgresql://gw%40prod:***@db.internal:6432/gateway?sslmode=require", url.redacted());
        assertFalse(url.toString().contains("p%3Ass"));
    }

    @Test
    void theDefaultIsTheReposDurableDevDatabaseWithoutAPassword() {
        DatabaseUrl url = DatabaseUrl.parse(DatabaseUrl.DEFAULT);

        assertEquals("jdbc:postgresql://127.0.0.1:54329/gateway", url.jdbcUrl());
        assertEquals("postgres", url.user());
        assertNull(url.password());
        assertEquals(DatabaseUrl.DEFAULT, url.redacted());
        assertEquals("jdbc:postgresql://h:5432/d", DatabaseUrl.parse("postgres://u@h/d").jdbcUrl());
    }

    @Test
    void aUrlThatIsNotPostgresIsRefusedNamingItWithoutItsPassword() {
        for (String bad : new String[] {"mysql://u:secret@h:1/d", "postgresql://h:1/d", "postgresql://u:secret@h:1/",
                "postgresql://u:secret@h:1/a/b", "not a url"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(bad));
            assertFalse(refused.getMessage().contains("secret"), refused.getMessage());
            assertTrue(refused.getMessage().contains("expected postgresql://user[:password]@host:port/database"));
        }
    }

    @Test
    void theOptionWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://env@127.0.0.1:5432/from_env",
                "CHECKOUT_DB_THROWAWAY", "1");
        GatewayOptions fromEnv = GatewayOptions.parse(env::get, "--provider-url", "http://127.0.0.1:1");
        GatewayOptions given = GatewayOptions.parse(env::get, "--provider-url", "http://127.0.0.1:1",
                "--database-url", "postgresql://arg@127.0.0.1:5432/from_arg");
        GatewayOptions neither = GatewayOptions.parse(name -> null, "--provider-url", "http://127.0.0.1:1");

        assertEquals("jdbc:postgresql://127.0.0.1:5432/from_env", fromEnv.database().jdbcUrl());
        assertTrue(fromEnv.throwawayDatabase());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/from_arg", given.database().jdbcUrl());
        assertEquals(DatabaseUrl.DEFAULT, neither.database().redacted());
        assertFalse(neither.throwawayDatabase());
        assertThrows(IllegalArgumentException.class, () -> GatewayOptions.parse(name -> null,
                "--provider-url", "http://127.0.0.1:1", "--database-url", "http://nope"));
    }
}
