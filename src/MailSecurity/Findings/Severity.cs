namespace MailSecurity
{
    /// <summary>How serious a <see cref="Finding"/> is. Ordered: a higher value is worse.</summary>
    public enum Severity
    {
        /// <summary>Nothing wrong; a fact worth knowing.</summary>
        Info = 0,
        /// <summary>Works, but weaker than recommended or likely to break later.</summary>
        Warning = 1,
        /// <summary>Broken: a standard is violated or a check failed.</summary>
        Error = 2,
        /// <summary>Mail is lost, rejected or exposed because of this.</summary>
        Critical = 3,
    }
}
