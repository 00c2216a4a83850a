/*
 * A fake libnvidia-ml for the llm-autoscale-nvml tests. It exports the subset of the NVML C API that the module
 * binds, with the same symbol names, argument types and struct layouts as nvml.h, so that the tests drive the very
 * same JNA binding the production code uses against a real driver.
 *
 * Scripting: the file named by the environment variable FAKE_NVML_CONTROL holds "key=value" lines. The file is
 * re-read whenever its inode, size or modification time changes, so one JVM can run several scenarios by
 * rewriting it (atomically, through a rename). Keys (all optional):
 *
 *   init=<code>                 return code of nvmlInit_v2 / nvmlInitWithFlags (e.g. 9 = DRIVER_NOT_LOADED)
 *   count=<n>                   number of physical GPUs (0..16; default 0)
 *   driver=<text>               nvmlSystemGetDriverVersion
 *   err.<function>=<code>       make a global function fail (e.g. err.nvmlDeviceGetCount_v2=999)
 *   gpu<i>.name / .uuid         device name and UUID
 *   gpu<i>.mem.total / .mem.reserved / .mem.free / .mem.used
 *                               nvmlMemory_v2_t fields; nvmlMemory_t (v1) reports total, free and used + reserved
 *   gpu<i>.util.gpu / .util.memory   nvmlUtilization_t fields
 *   gpu<i>.temp                 degrees C
 *   gpu<i>.power                milliwatts
 *   gpu<i>.mig=<0|1>            current MIG mode (no key: MIG not supported -> NOT_SUPPORTED)
 *   gpu<i>.mig.max=<n>          nvmlDeviceGetMaxMigDeviceCount
 *   gpu<i>.mig<j>.<field>       a MIG device in slot j (present when its uuid is set), same fields as a GPU
 *   <device>.err.<function>=<code>  make one function fail for one device or MIG device (3 = NOT_SUPPORTED, ...)
 *   <device>.lost=1             every call on the device answers GPU_IS_LOST (15)
 *
 * Functions that read a value the control file does not give answer NOT_SUPPORTED.
 *
 * Built with -DFAKE_NVML_NO_MEMORY_V2 the library does not export nvmlDeviceGetMemoryInfo_v2 at all, like drivers
 * older than R510.
 *
 * Extra exports for the tests: fake_nvml_calls(name) counts the calls of one function (NULL: all device queries),
 * fake_nvml_reset() clears the counters, fake_nvml_reload() forces a re-read of the control file,
 * fake_nvml_init_refcount() tells how many inits are not yet shut down and
 * fake_nvml_last_init_flags() the flags of the last nvmlInitWithFlags.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef int nvmlReturn_t;

enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_DRIVER_NOT_LOADED = 9,
    NVML_ERROR_FUNCTION_NOT_FOUND = 13,
    NVML_ERROR_GPU_IS_LOST = 15,
    NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
    NVML_ERROR_UNKNOWN = 999
};

/* Layouts as in nvml.h. */
typedef struct nvmlMemory_st {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_t;

typedef struct nvmlMemory_v2_st {
    unsigned int version;
    unsigned long long total;
    unsigned long long reserved;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_v2_t;

typedef struct nvmlUtilization_st {
    unsigned int gpu;
    unsigned int memory;
} nvmlUtilization_t;

#define NVML_STRUCT_VERSION(size, ver) ((unsigned int) (size) | ((unsigned int) (ver) << 24U))
#define nvmlMemory_v2 NVML_STRUCT_VERSION(sizeof(nvmlMemory_v2_t), 2)

#define MAX_GPUS 16
#define MAX_MIGS 8
#define MAX_ENTRIES 2048
#define MAX_KEY 128
#define MAX_VALUE 128

typedef struct fake_device {
    int gpu;
    int mig; /* -1: the physical GPU */
} fake_device;

typedef fake_device *nvmlDevice_t;

static fake_device gpus[MAX_GPUS];
static fake_device migs[MAX_GPUS][MAX_MIGS];

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char keys[MAX_ENTRIES][MAX_KEY];
static char values[MAX_ENTRIES][MAX_VALUE];
static int entries;
static struct stat loaded;
static int loaded_ok;
static int refcount;
static unsigned int last_init_flags = 0xffffffffU;

#define MAX_COUNTERS 64
static char counter_names[MAX_COUNTERS][64];
static unsigned long long counter_values[MAX_COUNTERS];
static int counters;
static unsigned long long device_queries;

static void count_call(const char *function, int device_query) {
    if (device_query) {
        device_queries++;
    }
    for (int i = 0; i < counters; i++) {
        if (strcmp(counter_names[i], function) == 0) {
            counter_values[i]++;
            return;
        }
    }
    if (counters < MAX_COUNTERS) {
        snprintf(counter_names[counters], sizeof counter_names[counters], "%s", function);
        counter_values[counters++] = 1;
    }
}

/* Re-reads the control file when it changed. Called with the lock held. */
static void reload(void) {
    const char *path = getenv("FAKE_NVML_CONTROL");
    struct stat now;
    if (path == NULL || stat(path, &now) != 0) {
        entries = 0;
        loaded_ok = 0;
        return;
    }
    if (loaded_ok && now.st_ino == loaded.st_ino && now.st_size == loaded.st_size
            && now.st_mtim.tv_sec == loaded.st_mtim.tv_sec && now.st_mtim.tv_nsec == loaded.st_mtim.tv_nsec) {
        return;
    }
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        entries = 0;
        loaded_ok = 0;
        return;
    }
    entries = 0;
    char line[MAX_KEY + MAX_VALUE + 8];
    while (fgets(line, sizeof line, file) != NULL && entries < MAX_ENTRIES) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (line[0] == '#' || eq == NULL) {
            continue;
        }
        *eq = '\0';
        snprintf(keys[entries], MAX_KEY, "%.*s", MAX_KEY - 1, line);
        snprintf(values[entries], MAX_VALUE, "%.*s", MAX_VALUE - 1, eq + 1);
        entries++;
    }
    fclose(file);
    loaded = now;
    loaded_ok = 1;
}

static const char *lookup(const char *key) {
    for (int i = entries - 1; i >= 0; i--) {
        if (strcmp(keys[i], key) == 0) {
            return values[i];
        }
    }
    return NULL;
}

static int lookup_ull(const char *key, unsigned long long *out) {
    const char *value = lookup(key);
    if (value == NULL || *value == '\0') {
        return 0;
    }
    errno = 0;
    char *end;
    unsigned long long parsed = strtoull(value, &end, 10);
    if (errno != 0 || *end != '\0') {
        return 0;
    }
    *out = parsed;
    return 1;
}

static int lookup_int(const char *key, int fallback) {
    unsigned long long value;
    return lookup_ull(key, &value) ? (int) value : fallback;
}

static void prefix_of(const fake_device *device, char *out, size_t size) {
    if (device->mig < 0) {
        snprintf(out, size, "gpu%d.", device->gpu);
    } else {
        snprintf(out, size, "gpu%d.mig%d.", device->gpu, device->mig);
    }
}

static const char *device_value(const fake_device *device, const char *field) {
    char key[MAX_KEY];
    char prefix[32];
    prefix_of(device, prefix, sizeof prefix);
    snprintf(key, sizeof key, "%s%s", prefix, field);
    return lookup(key);
}

static int device_ull(const fake_device *device, const char *field, unsigned long long *out) {
    char key[MAX_KEY];
    char prefix[32];
    prefix_of(device, prefix, sizeof prefix);
    snprintf(key, sizeof key, "%s%s", prefix, field);
    return lookup_ull(key, out);
}

static int gpu_count(void) {
    int count = lookup_int("count", 0);
    return count < 0 ? 0 : (count > MAX_GPUS ? MAX_GPUS : count);
}

static int valid_device(const fake_device *device) {
    if (device == NULL || device->gpu < 0 || device->gpu >= gpu_count()) {
        return 0;
    }
    if (device == &gpus[device->gpu]) {
        return 1;
    }
    return device->mig >= 0 && device->mig < MAX_MIGS && device == &migs[device->gpu][device->mig]
            && device_value(device, "uuid") != NULL;
}

/*
 * Common prologue of every device query: counts the call, refreshes the control file, then checks initialisation,
 * the handle, a lost device and an injected error. Returns NVML_SUCCESS when the query may proceed; the lock is
 * held on return either way.
 */
static nvmlReturn_t enter_device(const char *function, nvmlDevice_t device) {
    pthread_mutex_lock(&lock);
    count_call(function, 1);
    reload();
    if (refcount == 0) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (!valid_device(device)) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    unsigned long long lost;
    if (device_ull(device, "lost", &lost) && lost != 0) {
        return NVML_ERROR_GPU_IS_LOST;
    }
    char field[96];
    snprintf(field, sizeof field, "err.%s", function);
    unsigned long long injected;
    if (device_ull(device, field, &injected)) {
        return (nvmlReturn_t) injected;
    }
    return NVML_SUCCESS;
}

static nvmlReturn_t enter_global(const char *function) {
    pthread_mutex_lock(&lock);
    count_call(function, 0);
    reload();
    char field[96];
    snprintf(field, sizeof field, "err.%s", function);
    unsigned long long injected;
    if (lookup_ull(field, &injected)) {
        return (nvmlReturn_t) injected;
    }
    return NVML_SUCCESS;
}

static nvmlReturn_t leave(nvmlReturn_t result) {
    pthread_mutex_unlock(&lock);
    return result;
}

static nvmlReturn_t copy_string(const char *value, char *buffer, unsigned int length) {
    if (value == NULL) {
        return NVML_ERROR_NOT_SUPPORTED;
    }
    if (buffer == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    if (strlen(value) + 1 > length) {
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    memcpy(buffer, value, strlen(value) + 1);
    return NVML_SUCCESS;
}

static nvmlReturn_t do_init(const char *function) {
    nvmlReturn_t result = enter_global(function);
    if (result == NVML_SUCCESS) {
        result = (nvmlReturn_t) lookup_int("init", NVML_SUCCESS);
    }
    if (result == NVML_SUCCESS) {
        refcount++;
    }
    return result;
}

nvmlReturn_t nvmlInit_v2(void) {
    return leave(do_init("nvmlInit_v2"));
}

nvmlReturn_t nvmlInitWithFlags(unsigned int flags) {
    nvmlReturn_t result = do_init("nvmlInitWithFlags");
    last_init_flags = flags;
    return leave(result);
}

nvmlReturn_t nvmlShutdown(void) {
    nvmlReturn_t result = enter_global("nvmlShutdown");
    if (result == NVML_SUCCESS) {
        result = refcount == 0 ? NVML_ERROR_UNINITIALIZED : NVML_SUCCESS;
        if (refcount > 0) {
            refcount--;
        }
    }
    return leave(result);
}

const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
        case NVML_SUCCESS: return "Success";
        case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
        case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
        case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
        case NVML_ERROR_NOT_FOUND: return "Not Found";
        case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
        case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
        case NVML_ERROR_FUNCTION_NOT_FOUND: return "Function Not Found";
        case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
        case NVML_ERROR_ARGUMENT_VERSION_MISMATCH: return "Argument version mismatch";
        default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    nvmlReturn_t result = enter_global("nvmlSystemGetDriverVersion");
    if (result == NVML_SUCCESS) {
        result = refcount == 0 ? NVML_ERROR_UNINITIALIZED : copy_string(lookup("driver"), version, length);
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) {
    nvmlReturn_t result = enter_global("nvmlDeviceGetCount_v2");
    if (result == NVML_SUCCESS) {
        if (refcount == 0) {
            result = NVML_ERROR_UNINITIALIZED;
        } else if (deviceCount == NULL) {
            result = NVML_ERROR_INVALID_ARGUMENT;
        } else {
            *deviceCount = (unsigned int) gpu_count();
        }
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    nvmlReturn_t result = enter_global("nvmlDeviceGetHandleByIndex_v2");
    if (result == NVML_SUCCESS) {
        if (refcount == 0) {
            result = NVML_ERROR_UNINITIALIZED;
        } else if (device == NULL || index >= (unsigned int) gpu_count()) {
            result = NVML_ERROR_INVALID_ARGUMENT;
        } else {
            gpus[index].gpu = (int) index;
            gpus[index].mig = -1;
            unsigned long long lost;
            char key[32];
            snprintf(key, sizeof key, "gpu%u.lost", index);
            if (lookup_ull(key, &lost) && lost != 0) {
                result = NVML_ERROR_GPU_IS_LOST;
            } else {
                *device = &gpus[index];
            }
        }
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetName", device);
    if (result == NVML_SUCCESS) {
        result = copy_string(device_value(device, "name"), name, length);
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetUUID", device);
    if (result == NVML_SUCCESS) {
        result = copy_string(device_value(device, "uuid"), uuid, length);
    }
    return leave(result);
}

static nvmlReturn_t read_memory(nvmlDevice_t device, unsigned long long *total, unsigned long long *reserved,
        unsigned long long *free, unsigned long long *used) {
    if (!device_ull(device, "mem.total", total) || !device_ull(device, "mem.free", free)
            || !device_ull(device, "mem.used", used)) {
        return NVML_ERROR_NOT_SUPPORTED;
    }
    if (!device_ull(device, "mem.reserved", reserved)) {
        *reserved = 0;
    }
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetMemoryInfo", device);
    unsigned long long total, reserved, free, used;
    if (result == NVML_SUCCESS && memory == NULL) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS) {
        result = read_memory(device, &total, &reserved, &free, &used);
    }
    if (result == NVML_SUCCESS) {
        /* v1 counts the driver-reserved memory as used. */
        memory->total = total;
        memory->free = free;
        memory->used = used + reserved;
    }
    return leave(result);
}

#ifndef FAKE_NVML_NO_MEMORY_V2
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetMemoryInfo_v2", device);
    unsigned long long total, reserved, free, used;
    if (result == NVML_SUCCESS && memory == NULL) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS && memory->version != nvmlMemory_v2) {
        result = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    }
    if (result == NVML_SUCCESS) {
        result = read_memory(device, &total, &reserved, &free, &used);
    }
    if (result == NVML_SUCCESS) {
        memory->total = total;
        memory->reserved = reserved;
        memory->free = free;
        memory->used = used;
    }
    return leave(result);
}
#endif

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetUtilizationRates", device);
    unsigned long long gpu, memory;
    if (result == NVML_SUCCESS && utilization == NULL) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS && !(device_ull(device, "util.gpu", &gpu) && device_ull(device, "util.memory", &memory))) {
        result = NVML_ERROR_NOT_SUPPORTED;
    }
    if (result == NVML_SUCCESS) {
        utilization->gpu = (unsigned int) gpu;
        utilization->memory = (unsigned int) memory;
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensorType, unsigned int *temp) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetTemperature", device);
    unsigned long long value;
    if (result == NVML_SUCCESS && (temp == NULL || sensorType != 0)) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS && !device_ull(device, "temp", &value)) {
        result = NVML_ERROR_NOT_SUPPORTED;
    }
    if (result == NVML_SUCCESS) {
        *temp = (unsigned int) value;
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetPowerUsage", device);
    unsigned long long value;
    if (result == NVML_SUCCESS && power == NULL) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS && !device_ull(device, "power", &value)) {
        result = NVML_ERROR_NOT_SUPPORTED;
    }
    if (result == NVML_SUCCESS) {
        *power = (unsigned int) value;
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode, unsigned int *pendingMode) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetMigMode", device);
    unsigned long long mode;
    if (result == NVML_SUCCESS && (currentMode == NULL || pendingMode == NULL)) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS && (device->mig >= 0 || !device_ull(device, "mig", &mode))) {
        result = NVML_ERROR_NOT_SUPPORTED;
    }
    if (result == NVML_SUCCESS) {
        *currentMode = (unsigned int) mode;
        *pendingMode = (unsigned int) mode;
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetMaxMigDeviceCount", device);
    unsigned long long max;
    if (result == NVML_SUCCESS && count == NULL) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS && (device->mig >= 0 || !device_ull(device, "mig.max", &max))) {
        result = NVML_ERROR_NOT_SUPPORTED;
    }
    if (result == NVML_SUCCESS) {
        *count = (unsigned int) (max > MAX_MIGS ? MAX_MIGS : max);
    }
    return leave(result);
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index, nvmlDevice_t *migDevice) {
    nvmlReturn_t result = enter_device("nvmlDeviceGetMigDeviceHandleByIndex", device);
    if (result == NVML_SUCCESS && (migDevice == NULL || device->mig >= 0 || index >= MAX_MIGS)) {
        result = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (result == NVML_SUCCESS) {
        fake_device *mig = &migs[device->gpu][index];
        mig->gpu = device->gpu;
        mig->mig = (int) index;
        if (device_value(mig, "uuid") == NULL) {
            result = NVML_ERROR_NOT_FOUND;
        } else {
            *migDevice = mig;
        }
    }
    return leave(result);
}

/* ---- test-only exports ---- */

unsigned long long fake_nvml_calls(const char *function) {
    pthread_mutex_lock(&lock);
    unsigned long long result = 0;
    if (function == NULL) {
        result = device_queries;
    } else {
        for (int i = 0; i < counters; i++) {
            if (strcmp(counter_names[i], function) == 0) {
                result = counter_values[i];
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return result;
}

void fake_nvml_reset(void) {
    pthread_mutex_lock(&lock);
    counters = 0;
    device_queries = 0;
    last_init_flags = 0xffffffffU;
    loaded_ok = 0;
    pthread_mutex_unlock(&lock);
}

void fake_nvml_reload(void) {
    pthread_mutex_lock(&lock);
    loaded_ok = 0;
    pthread_mutex_unlock(&lock);
}

int fake_nvml_init_refcount(void) {
    pthread_mutex_lock(&lock);
    int result = refcount;
    pthread_mutex_unlock(&lock);
    return result;
}

unsigned int fake_nvml_last_init_flags(void) {
    pthread_mutex_lock(&lock);
    unsigned int result = last_init_flags;
    pthread_mutex_unlock(&lock);
    return result;
}
