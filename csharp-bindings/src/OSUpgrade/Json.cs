using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OSUpgrade
{
    /// <summary>Reads the library's JSON records (camelCase) into the immutable models.</summary>
    internal static class Json
    {
        internal static byte[] Write<T>(T value, JsonTypeInfo<T> type)
        {
            return Utf8.ToNative(JsonSerializer.Serialize(value, type))!;
        }

        internal static T Read<T>(string json, JsonTypeInfo<T> type)
        {
            return JsonSerializer.Deserialize(json, type)
                ?? throw new OSUpgradeException(OSUpgradeStatus.Internal, "the native library returned an empty record");
        }
    }

    /// <summary>Serialization code generated at build time: no reflection, safe to trim.</summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
    [JsonSerializable(typeof(UpgradePackage))]
    [JsonSerializable(typeof(List<UpgradePackage>))]
    [JsonSerializable(typeof(List<ContentVersion>))]
    [JsonSerializable(typeof(SiteInfo))]
    [JsonSerializable(typeof(DistributionPoint))]
    [JsonSerializable(typeof(List<DistributionPoint>))]
    [JsonSerializable(typeof(DistributionPointGroup))]
    [JsonSerializable(typeof(List<DistributionPointGroup>))]
    [JsonSerializable(typeof(List<ValidationReport>))]
    [JsonSerializable(typeof(List<DistributionStatus>))]
    [JsonSerializable(typeof(List<DistributionSummary>))]
    [JsonSerializable(typeof(ValidationReport))]
    [JsonSerializable(typeof(DistributeOptions))]
    [JsonSerializable(typeof(string[]))]
    [JsonSerializable(typeof(SoftwareUpdate))]
    [JsonSerializable(typeof(List<SoftwareUpdate>))]
    [JsonSerializable(typeof(List<ApplicableUpdate>))]
    [JsonSerializable(typeof(List<NotApplicableUpdate>))]
    [JsonSerializable(typeof(List<AppliedUpdate>))]
    [JsonSerializable(typeof(Schedule))]
    [JsonSerializable(typeof(List<Schedule>))]
    [JsonSerializable(typeof(List<ScheduleNextRun>))]
    [JsonSerializable(typeof(ServicingRun))]
    [JsonSerializable(typeof(List<ServicingRun>))]
    [JsonSerializable(typeof(ServicingEngine))]
    internal sealed partial class RecordContext : JsonSerializerContext
    {
    }
}
