"""The texts of django-allauth that the portal words in its own Danish.

allauth's pages, messages and e-mails (sign-in, sign-out, password reset, e-mail
confirmation, two-factor authentication) ship with a Danish catalogue of their own, whose
wording does not follow the portal's glossary ("Email", "Loggede succesfuldt ind med …",
"Bekæftet"). The project's catalogue (LOCALE_PATHS) comes before an app's, so each text
below is given its Danish in locale/da/LC_MESSAGES/django.po. Listing the English texts here
lets makemessages keep them in the catalogue; nothing imports this module.
"""

from django.utils.translation import gettext_noop

ALLAUTH_TEXTS = (
    gettext_noop("This account is currently inactive."),  # account/adapter.py
    gettext_noop("You cannot remove your primary email address."),  # account/adapter.py
    gettext_noop(
        "This email address is already associated with this account."
    ),  # account/adapter.py
    gettext_noop(
        "The email address and/or password you specified are not correct."
    ),  # account/adapter.py
    gettext_noop("A user is already registered with this email address."),  # account/adapter.py
    gettext_noop("Please type your current password."),  # account/adapter.py
    gettext_noop("Incorrect code."),  # account/adapter.py
    gettext_noop("Incorrect password."),  # account/adapter.py
    gettext_noop("Invalid or expired key."),  # account/adapter.py
    gettext_noop("Invalid login."),  # account/adapter.py
    gettext_noop("The password reset token was invalid."),  # account/adapter.py
    gettext_noop("You cannot add more than %d email addresses."),  # account/adapter.py
    gettext_noop("Too many failed login attempts. Try again later."),  # account/adapter.py
    gettext_noop("The email address is not assigned to any user account."),  # account/adapter.py
    gettext_noop("Your primary email address must be verified."),  # account/adapter.py
    gettext_noop("The new value must be different from the current one."),  # account/adapter.py
    gettext_noop("Be patient, you are sending too many requests."),  # account/adapter.py
    gettext_noop("Use authenticator app or code"),  # account/adapter.py
    gettext_noop("Email"),  # account/fields.py
    gettext_noop("Email address"),  # account/fields.py
    gettext_noop("You must type the same password each time."),  # account/forms.py
    gettext_noop("Forgot your password?"),  # account/forms.py
    gettext_noop("Current Password"),  # account/forms.py
    gettext_noop("New Password"),  # account/forms.py
    gettext_noop("New Password (again)"),  # account/forms.py
    # mfa/adapter.py
    gettext_noop(
        "You cannot add an email address to an account protected by two-factor authentication."
    ),
    gettext_noop("You cannot deactivate two-factor authentication."),  # mfa/adapter.py
    # mfa/adapter.py
    gettext_noop(
        "You cannot generate recovery codes without having two-factor authentication enabled."
    ),
    # mfa/adapter.py
    gettext_noop(
        "You cannot activate two-factor authentication until you have verified your email address."
    ),
    gettext_noop("TOTP Authenticator"),  # mfa/models.py
    gettext_noop("Authenticator code"),  # mfa/totp/forms.py
    gettext_noop("Account Inactive"),  # templates/account/account_inactive.html
    gettext_noop("This account is inactive."),  # templates/account/account_inactive.html
    gettext_noop("Confirm"),  # templates/account/base_confirm_code.html
    gettext_noop("Confirm Access"),  # templates/account/base_reauthenticate.html
    gettext_noop(
        "Please reauthenticate to safeguard your account."
    ),  # templates/account/base_reauthenticate.html
    gettext_noop("Alternative options"),  # templates/account/base_reauthenticate.html
    gettext_noop("Sign In"),  # layouts/base.html
    gettext_noop("Password Reset"),  # templates/account/confirm_password_reset_code.html
    gettext_noop("Email Addresses"),  # templates/account/email.html
    gettext_noop(
        "The following email addresses are associated with your account:"
    ),  # templates/account/email.html
    gettext_noop("Verified"),  # templates/account/email.html
    gettext_noop("Unverified"),  # templates/account/email.html
    gettext_noop("Make Primary"),  # templates/account/email.html
    gettext_noop("Add Email Address"),  # templates/account/email.html
    gettext_noop("Add Email"),  # templates/account/email.html
    gettext_noop(
        "Do you really want to remove the selected email address?"
    ),  # templates/account/email.html
    # templates/account/email/base_notification.txt
    gettext_noop(
        "You are receiving this mail because the following change was made to your account:"
    ),
    # templates/account/email/base_notification.txt
    gettext_noop(
        "If you do not recognize this change then please take proper security precautions immediately. The change to your account originates from:\n\n- IP address: %(ip)s\n- Browser: %(user_agent)s\n- Date: %(timestamp)s"
    ),
    gettext_noop(
        "Your email has been changed from %(from_email)s to %(to_email)s."
    ),  # templates/account/email/email_changed_message.txt
    gettext_noop("Email Changed"),  # templates/account/email/email_changed_subject.txt
    gettext_noop(
        "Your email has been confirmed."
    ),  # templates/account/email/email_confirm_message.txt
    gettext_noop("Email Confirmation"),  # templates/account/email/email_confirm_subject.txt
    # templates/account/email/email_confirmation_message.txt
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email address to register an account on %(site_domain)s."
    ),
    gettext_noop(
        "To confirm this is correct, go to %(activate_url)s"
    ),  # templates/account/email/email_confirmation_message.txt
    gettext_noop(
        "Please Confirm Your Email Address"
    ),  # templates/account/email/email_confirmation_subject.txt
    gettext_noop(
        "Email address %(deleted_email)s has been removed from your account."
    ),  # templates/account/email/email_deleted_message.txt
    gettext_noop("Email Removed"),  # templates/account/email/email_deleted_subject.txt
    gettext_noop(
        "Your password has been changed."
    ),  # templates/account/email/password_changed_message.txt
    gettext_noop("Password Changed"),  # templates/account/email/password_changed_subject.txt
    # templates/account/email/password_reset_key_message.txt
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password."
    ),
    gettext_noop("Password Reset Email"),  # templates/account/email/password_reset_key_subject.txt
    gettext_noop(
        "Your password has been reset."
    ),  # templates/account/email/password_reset_message.txt
    gettext_noop("Your password has been set."),  # templates/account/email/password_set_message.txt
    gettext_noop("Password Set"),  # templates/account/email/password_set_subject.txt
    gettext_noop("Email Address"),  # templates/account/email_change.html
    gettext_noop("Current email"),  # templates/account/email_change.html
    gettext_noop("Changing to"),  # templates/account/email_change.html
    gettext_noop(
        "Your email address is still pending verification."
    ),  # templates/account/email_change.html
    gettext_noop("Cancel Change"),  # templates/account/email_change.html
    gettext_noop("Change Email"),  # layouts/base.html
    gettext_noop("Confirm Email Address"),  # templates/account/email_confirm.html
    # templates/account/email_confirm.html
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ),
    # templates/account/email_confirm.html
    gettext_noop(
        "Unable to confirm %(email)s because it is already confirmed by a different account."
    ),
    # templates/account/email_confirm.html
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    gettext_noop("Sign Out"),  # layouts/base.html
    gettext_noop("Are you sure you want to sign out?"),  # templates/account/logout.html
    gettext_noop(
        "You cannot remove your primary email address (%(email)s)."
    ),  # templates/account/messages/cannot_delete_primary_email.txt
    gettext_noop(
        "Confirmation email sent to %(email)s."
    ),  # templates/account/messages/email_confirmation_sent.txt
    gettext_noop(
        "Removed email address %(email)s."
    ),  # templates/account/messages/email_deleted.txt
    gettext_noop("Successfully signed in as %(name)s."),  # templates/account/messages/logged_in.txt
    gettext_noop("You have signed out."),  # templates/account/messages/logged_out.txt
    gettext_noop(
        "Password successfully changed."
    ),  # templates/account/messages/password_changed.txt
    gettext_noop("Password successfully set."),  # templates/account/messages/password_set.txt
    gettext_noop("Primary email address set."),  # templates/account/messages/primary_email_set.txt
    gettext_noop("Change Password"),  # layouts/base.html
    gettext_noop("Forgot Password?"),  # templates/account/password_change.html
    # templates/account/password_reset.html
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),  # templates/account/password_reset.html
    gettext_noop(
        "Please contact us if you have any trouble resetting your password."
    ),  # templates/account/password_reset.html
    # templates/account/password_reset_done.html
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Bad Token"),  # templates/account/password_reset_from_key.html
    # templates/account/password_reset_from_key.html
    gettext_noop(
        'The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop(
        "Your password is now changed."
    ),  # templates/account/password_reset_from_key_done.html
    gettext_noop("Set Password"),  # templates/account/password_set.html
    gettext_noop("Enter your password:"),  # templates/account/reauthenticate.html
    gettext_noop("Verify Your Email Address"),  # templates/account/verification_sent.html
    # templates/account/verification_sent.html
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes."
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        "This part of the site requires us to verify that\nyou are who you claim to be. For this purpose, we require that you\nverify ownership of your email address. "
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        "We have sent an email to you for\nverification. Please click on the link inside that email. If you do not see the verification email in your main inbox, check your spam folder. Otherwise\ncontact us if you do not receive it within a few minutes."
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        '<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'
    ),
    gettext_noop("Two-Factor Authentication"),  # layouts/base.html
    # templates/mfa/authenticate.html
    gettext_noop(
        "Your account is protected by two-factor authentication. Please enter an authenticator code:"
    ),
    gettext_noop(
        "A new set of Two-Factor Authentication recovery codes has been generated."
    ),  # templates/mfa/email/recovery_codes_generated_message.txt
    gettext_noop(
        "New Recovery Codes Generated"
    ),  # templates/mfa/email/recovery_codes_generated_subject.txt
    gettext_noop("Authenticator app activated."),  # templates/mfa/email/totp_activated_message.txt
    gettext_noop("Authenticator App Activated"),  # templates/mfa/email/totp_activated_subject.txt
    gettext_noop(
        "Authenticator app deactivated."
    ),  # templates/mfa/email/totp_deactivated_message.txt
    gettext_noop(
        "Authenticator App Deactivated"
    ),  # templates/mfa/email/totp_deactivated_subject.txt
    gettext_noop("Authenticator App"),  # templates/mfa/index.html
    gettext_noop(
        "Authentication using an authenticator app is active."
    ),  # templates/mfa/index.html
    gettext_noop("An authenticator app is not active."),  # templates/mfa/index.html
    gettext_noop("Deactivate"),  # templates/mfa/index.html
    gettext_noop("Activate"),  # templates/mfa/index.html
    gettext_noop("Download"),  # templates/mfa/index.html
    gettext_noop("Generate"),  # templates/mfa/index.html
    gettext_noop(
        "A new set of recovery codes has been generated."
    ),  # templates/mfa/messages/recovery_codes_generated.txt
    gettext_noop(
        "Save them  in a secure location now — they won't be shown again."
    ),  # templates/mfa/messages/recovery_codes_generated.txt
    gettext_noop("Enter an authenticator code:"),  # templates/mfa/reauthenticate.html
    gettext_noop(
        "You are about to generate a new set of recovery codes for your account."
    ),  # templates/mfa/recovery_codes/generate.html
    gettext_noop(
        "This action will invalidate your existing codes."
    ),  # templates/mfa/recovery_codes/generate.html
    gettext_noop("Download codes"),  # templates/mfa/recovery_codes/index.html
    gettext_noop("Generate new codes"),  # templates/mfa/recovery_codes/index.html
    gettext_noop("Activate Authenticator App"),  # templates/mfa/totp/activate_form.html
    # templates/mfa/totp/activate_form.html
    gettext_noop(
        "To protect your account with two-factor authentication, scan the QR code below with your authenticator app. Then, input the verification code generated by the app below."
    ),
    gettext_noop("Authenticator secret"),  # templates/mfa/totp/activate_form.html
    # templates/mfa/totp/activate_form.html
    gettext_noop(
        "You can store this secret and use it to reinstall your authenticator app at a later time."
    ),
    gettext_noop("Deactivate Authenticator App"),  # templates/mfa/totp/deactivate_form.html
    # templates/mfa/totp/deactivate_form.html
    gettext_noop(
        "You are about to deactivate authenticator app based authentication. Are you sure?"
    ),
)
