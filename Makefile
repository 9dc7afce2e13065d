# talentd — build, test, bench, demo.
#
# Every top-level target runs `deps` first, so a fresh Debian 12 machine needs
# nothing but `make <target>` as root.  Sources are picked up by wildcard: a new
# file in core/, server/, handlers/ or tests/unit/ needs no Makefile change.

BUILD    ?= build
SAN      ?=
CC       ?= cc
PKGS      = libmicrohttpd libcurl libcjson libpq libsodium poppler-glib
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CPPFLAGS += -D_GNU_SOURCE -Icore -Iserver -Ihandlers
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 $(WARN) -pthread -MMD -MP
ifeq ($(SAN),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -O1
LDFLAGS  += -fsanitize=address,undefined
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS       = $(PKG_LIBS) -lm -pthread

CORE_SRC    = $(wildcard core/*.c)
SERVER_SRC  = $(wildcard server/*.c) $(wildcard handlers/*.c)
EMU_SRC     = $(wildcard tests/emulator/*.c)
UNIT_SRC    = $(wildcard tests/unit/test_*.c)
INTEG_SRC   = $(wildcard tests/integration/itest_*.c)
BENCH_SRC   = $(wildcard tests/bench/bench_*.c)
TOOL_SRC    = $(wildcard tests/support/*.c)

SCHEMA_SQL  = $(sort $(wildcard schema/[0-9]*.sql))
CORE_OBJ    = $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_sql.o
SERVER_OBJ  = $(SERVER_SRC:%.c=$(BUILD)/obj/%.o)
SERVER_LIB_OBJ = $(filter-out $(BUILD)/obj/server/main.o,$(SERVER_OBJ))
EMU_OBJ     = $(EMU_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
INTEG_BIN   = $(INTEG_SRC:tests/integration/%.c=$(BUILD)/tests/%)
BENCH_BIN   = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
TOOL_BIN    = $(TOOL_SRC:tests/support/%.c=$(BUILD)/%)

.PHONY: all deps build test test-asan test-fast bench demo eval eval-extra clean fmt

all: deps
	@$(MAKE) --no-print-directory build

build: $(BUILD)/talentd $(BUILD)/airtable-emulator $(UNIT_BIN) $(INTEG_BIN) $(BENCH_BIN) $(TOOL_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/schema_sql.c: $(SCHEMA_SQL) tools/embed_schema.sh
	@mkdir -p $(dir $@)
	sh tools/embed_schema.sh $@ $(SCHEMA_SQL)

$(BUILD)/obj/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libcore.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libserver.a: $(SERVER_LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/talentd: $(BUILD)/obj/server/main.o $(BUILD)/libserver.a $(BUILD)/libcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/airtable-emulator: $(EMU_OBJ) $(BUILD)/libcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libserver.a $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/tests/%: $(BUILD)/obj/tests/integration/%.o $(BUILD)/libserver.a $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BUILD)/libserver.a $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%: $(BUILD)/obj/tests/support/%.o $(BUILD)/libcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

deps:
	@sh tests/support/deps.sh

test: deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 build
	@sh tests/run.sh all

test-fast: deps
	@$(MAKE) --no-print-directory build
	@sh tests/run.sh fast

test-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 build
	@sh tests/run.sh asan

bench: deps
	@$(MAKE) --no-print-directory build
	@sh tests/bench/run.sh

demo: deps
	@$(MAKE) --no-print-directory build
	@sh tests/support/demo.sh

eval: deps
	@$(MAKE) --no-print-directory build
	@sh tests/support/eval.sh

eval-extra: deps
	@$(MAKE) --no-print-directory build
	@JUDGED_DEV=tests/fixtures/judged-extra sh tests/support/eval.sh
	@JUDGED_DEV=tests/fixtures/judged-extra2 sh tests/support/eval.sh

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
