package com.checkout.payment.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig.PoolSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrator on a real PostgreSQL: replicas starting at once apply each file once. */
class MigrationsTest {
    private static final PoolSettings POOL = new PoolSettings(2, 5000, 30000);
    private static DatabaseUrl server;
    private static String name;
    private static DatabaseUrl database;

    @BeforeAll
    static void create() {
        String url = System.getenv("CHECKOUT_PG_URL");
        if (url == null || url.isEmpty()) {
            Assertions.fail("CHECKOUT_PG_URL is not set: run under `python -m tools.pg run -- mvn -B -f java/pom.xml"
                    + " verify`, or point it at a PostgreSQL server's postgres database");
        }
        server = DatabaseUrl.parse(url);
        name = ("gw_migrations_" + ProcessHandle.current().pid()).toLowerCase(Locale.ROOT);
        execute(server, "CREATE DATABASE " + name);
        database = DatabaseUrl.parse(url.substring(0, url.lastIndexOf('/') + 1) + name);
    }

    @AfterAll
    static void drop() {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(DatabaseUrl target, String sql) {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Test
    void replicasStartingAtOnceApplyEveryFileExactlyOnceAndThenRefuseAnEditedOne() throws Exception {
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CyclicBarrier together = new CyclicBarrier(replicas);
        List<Future<Integer>> applied = new ArrayList<>();
        Callable<Integer> start = () -> {
            try (Database db = Database.open(database, POOL)) {
                together.await();
                return Migrations.apply(db.dataSource());
            }
        };
        for (int i = 0; i < replicas; i++) {
            applied.add(pool.submit(start));
        }
        int total = 0;
        for (Future<Integer> each : applied) {
            total += each.get();
        }
        pool.shutdown();

        assertEquals(Migrations.FILES.size(), total, "each file applied by one replica only");
        try (Database db = Database.open(database, POOL)) {
            assertEquals(0, Migrations.apply(db.dataSource()));
            execute(database, "UPDATE gateway_schema_migrations SET checksum = 'edited' WHERE version = 1");
            DatabaseException refused = assertThrows(DatabaseException.class, () -> Migrations.apply(db.dataSource()));
            assertTrue(refused.getMessage().contains("V1__payment_records.sql was changed after it was applied"),
                    refused.getMessage());
        }
    }

    @Test
    void everyFileOfTheMigrationFolderIsListedInOrder() throws Exception {
        Path folder = Path.of("src/main/resources/db/migration");
        List<String> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.map(p -> p.getFileName().toString()).sorted((a, b) ->
                    Integer.compare(Migrations.version(a), Migrations.version(b))).toList();
        }
        assertEquals(files, Migrations.FILES);
    }
}
